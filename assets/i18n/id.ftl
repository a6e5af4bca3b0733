## M-Paspor, Bahasa Indonesia (bahasa utama)

app-name = M-Paspor
app-tagline = Ajukan paspor dari ponsel: isi data, unggah dokumen, pilih jadwal kedatangan dan bayar PNBP, tanpa antre di kantor imigrasi.
language-label = Bahasa
language-id = Bahasa Indonesia
language-en = English
welcome-points-title = Yang bisa Anda lakukan di sini
welcome-point-draft = Formulir tersimpan otomatis di ponsel, juga saat tidak ada sinyal.
welcome-point-quota = Cari jadwal kosong tercepat di kantor imigrasi terdekat.
welcome-point-pay = Bayar dengan kode billing dan simpan bukti permohonan ber-QR.
welcome-footer = Direktorat Jenderal Imigrasi — aplikasi uji coba dengan server tiruan.

## Pesan galat API, satu per kode
error-bad_request = Permintaan tidak dapat diproses. Periksa isian Anda.
error-invalid_json = Data yang dikirim rusak. Coba lagi.
error-validation_failed = Ada isian yang belum benar.
error-unauthorized = Silakan masuk lagi.
error-token_expired = Sesi Anda habis. Silakan masuk lagi.
error-session_ended = Sesi Anda diakhiri demi keamanan. Silakan masuk lagi.
error-not_found = Data tidak ditemukan.
error-method_not_allowed = Tindakan ini tidak tersedia.
error-version_conflict = Data ini baru diubah di perangkat lain. Kami memuat versi terbaru.
error-precondition_required = Muat ulang data sebelum mengubahnya.
error-payload_too_large = Berkas terlalu besar (paling besar 1 MB).
error-unsupported_media_type = Jenis berkas tidak didukung. Gunakan foto JPEG atau PNG.
error-rate_limited = Terlalu banyak percobaan. Tunggu sebentar, lalu coba lagi.
error-email_taken = Email ini sudah terdaftar. Silakan masuk atau atur ulang kata sandi.
error-invalid_credentials = Email atau kata sandi salah.
error-account_not_verified = Akun belum diaktifkan. Masukkan kode OTP dari email Anda.
error-otp_invalid = Kode OTP salah.
error-otp_expired = Kode OTP sudah kedaluwarsa. Minta kode baru.
error-otp_cooldown = Tunggu sebentar sebelum meminta kode baru.
error-weak_password = Kata sandi terlalu lemah: minimal 8 karakter, dengan huruf dan angka.
error-applicant_limit = Satu akun paling banyak untuk 5 pemohon, termasuk Anda.
error-nik_invalid = NIK tidak valid.
error-identity_invalid = Identitas tidak valid: data tidak cocok dengan Dukcapil.
error-active_application_exists = Pemohon ini masih punya permohonan yang berjalan.
error-incomplete_application = Permohonan belum lengkap.
error-declaration_required = Centang pernyataan kebenaran data sebelum mengirim.
error-not_editable = Permohonan yang sudah dikirim tidak bisa diubah.
error-office_cannot_issue = Kantor ini tidak melayani jenis paspor atau layanan yang dipilih.
error-slot_full = Kuota jam ini sudah penuh. Pilih jam atau hari lain.
error-billing_expired = Kode billing sudah kedaluwarsa; kuota dilepas. Ajukan lagi.
error-already_paid = Permohonan ini sudah dibayar.
error-not_paid = Permohonan ini belum dibayar.
error-ntpn_not_found = NTPN tidak ditemukan di kas negara. Periksa bukti bayar Anda.
error-reschedule_refused = Jadwal tidak bisa diubah.
error-cancel_refused = Permohonan ini tidak bisa dibatalkan.
error-transition_refused = Tindakan ini tidak berlaku untuk status permohonan saat ini.
error-document_rejected = Dokumen ditolak.
error-idempotency_key_reused = Permintaan ganda dengan isi berbeda ditolak.
error-injected_fault = Server sedang gangguan (uji coba). Perubahan Anda tersimpan dan akan dikirim lagi.
error-internal = Server sedang bermasalah. Perubahan Anda tersimpan dan akan dikirim lagi.

## Foto dokumen: hasil pemeriksaan
photo-too-small = Foto terlalu kecil untuk dibaca. Foto ulang lebih dekat atau pilih foto beresolusi lebih tinggi.
photo-too-dark = Foto terlalu gelap. Foto ulang di tempat yang lebih terang.
photo-washed-out = Foto terlalu terang atau silau. Hindari lampu atau sinar matahari langsung di atas dokumen.
photo-low-contrast = Tulisan pada foto tidak terlihat. Pastikan seluruh dokumen tampak jelas.
photo-blurred = Foto buram. Tahan ponsel dengan tenang dan ketuk layar untuk fokus, lalu foto ulang.
photo-not-filling = Dokumen tampak terlalu kecil di foto. Dekatkan kamera sampai dokumen memenuhi layar.
photo-error-heic = Berkas ini berformat HEIC. Pilih foto JPEG atau PNG, atau ubah pengaturan kamera ke "Paling Kompatibel".
photo-error-pdf = Berkas ini dokumen PDF, bukan foto. Foto dokumennya atau pilih gambar JPEG atau PNG.
photo-error-not-a-photo = Berkas ini bukan foto. Pilih gambar JPEG atau PNG.
photo-error-damaged = Foto rusak atau tidak lengkap. Foto ulang atau pilih foto lain.
photo-error-too-large = Gambar terlalu besar untuk dibuka. Pilih foto dari kamera ponsel.
photo-error-cannot-fit = Foto tidak bisa diperkecil sampai 1 MB. Foto ulang dokumennya saja.

## Yang dikatakan mesin aplikasi saat server tidak bisa dihubungi, atau penyimpanan ponsel gagal
error-offline = Tidak ada koneksi ke server. Perubahan Anda tersimpan di ponsel dan akan dikirim saat jaringan kembali.
error-timeout = Server terlalu lama menjawab. Perubahan Anda tersimpan dan akan dikirim lagi.
error-unexpected = Server memberi jawaban yang tidak dipahami aplikasi. Perubahan Anda tersimpan; silakan coba lagi nanti.
error-not-logged-in = Silakan masuk untuk mengirim perubahan Anda. Tidak ada isian yang hilang.
error-keystore = Penyimpanan kunci aman ponsel tidak dapat digunakan. Mulai ulang aplikasi; jika terus terjadi, periksa pengaturan kunci layar ponsel.
store-error-damaged = Data yang tersimpan di ponsel ini tidak dapat dibaca. Silakan mulai ulang aplikasi.
store-error-too-new = Data ini disimpan oleh versi aplikasi yang lebih baru. Perbarui M-Paspor dari toko aplikasi.
store-error-sealed = Data di ponsel ini tidak dapat dibuka dengan kuncinya (penyimpanan kunci diatur ulang). Data itu telah disisihkan.
store-error-not-found = Data itu sudah tidak ada di ponsel ini.
store-error-bad-value = Nilai itu tidak diterima di sini. Isian Anda sebelumnya tetap tersimpan.
store-error-locked = Permohonan ini sudah diajukan; datanya tidak dapat diubah lagi.
