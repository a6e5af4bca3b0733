## M-Paspor, English (second language)

app-name = M-Paspor
app-tagline = Apply for your passport from your phone: fill in your details, upload documents, pick an arrival time and pay the fee, without queueing at the immigration office.
language-label = Language
language-id = Bahasa Indonesia
language-en = English
welcome-points-title = What you can do here
welcome-point-draft = Your form saves itself on the phone, even with no signal.
welcome-point-quota = Find the earliest free time at the immigration offices near you.
welcome-point-pay = Pay by billing code and keep a proof of application with a QR code.
welcome-footer = Directorate General of Immigration — a trial app running on a mock server.

## API error messages, one per code
error-bad_request = The request could not be processed. Check what you entered.
error-invalid_json = The data sent was damaged. Please try again.
error-validation_failed = Something you entered is not right yet.
error-unauthorized = Please log in again.
error-token_expired = Your session has ended. Please log in again.
error-session_ended = Your session was ended for your security. Please log in again.
error-not_found = Not found.
error-method_not_allowed = This action is not available.
error-version_conflict = This was just changed on another device. We loaded the latest version.
error-precondition_required = Reload this before changing it.
error-payload_too_large = The file is too large (1 MB at most).
error-unsupported_media_type = This kind of file is not supported. Use a JPEG or PNG photo.
error-rate_limited = Too many attempts. Wait a moment, then try again.
error-email_taken = This email is already registered. Log in or reset your password.
error-invalid_credentials = Wrong email or password.
error-account_not_verified = Your account is not active yet. Enter the OTP from your email.
error-otp_invalid = Wrong OTP code.
error-otp_expired = The OTP code has expired. Ask for a new one.
error-otp_cooldown = Wait a moment before asking for a new code.
error-weak_password = The password is too weak: at least 8 characters, with letters and digits.
error-applicant_limit = One account can file for at most 5 applicants, you included.
error-nik_invalid = The NIK is not valid.
error-identity_invalid = Identity not valid: the details do not match the civil registry (Dukcapil).
error-active_application_exists = This applicant already has an application in progress.
error-incomplete_application = The application is not complete yet.
error-declaration_required = Tick the declaration that your data is true before submitting.
error-not_editable = A submitted application can no longer be changed.
error-office_cannot_issue = This office does not offer the chosen passport type or service.
error-slot_full = This time is fully booked. Choose another time or day.
error-billing_expired = The billing code has expired and the place was released. Apply again.
error-already_paid = This application is already paid.
error-not_paid = This application is not paid yet.
error-ntpn_not_found = The treasury has no such NTPN. Check your payment receipt.
error-reschedule_refused = The appointment cannot be moved.
error-cancel_refused = This application cannot be cancelled.
error-transition_refused = This action does not apply to the application's current status.
error-document_rejected = The document was refused.
error-idempotency_key_reused = A repeated request with different content was refused.
error-injected_fault = The server is having trouble (test fault). Your changes are kept and will be sent again.
error-internal = The server is having trouble. Your changes are kept and will be sent again.

## Document photos: check results
photo-too-small = The photo is too small to read. Take it again closer up, or pick a higher-resolution photo.
photo-too-dark = The photo is too dark. Take it again somewhere brighter.
photo-washed-out = The photo is too bright or has glare. Avoid a lamp or direct sunlight above the document.
photo-low-contrast = The writing cannot be seen in the photo. Make sure the whole document shows clearly.
photo-blurred = The photo is blurred. Hold the phone still and tap the screen to focus, then take it again.
photo-not-filling = The document looks too small in the photo. Move closer until it fills the screen.
photo-error-heic = This file is HEIC. Pick a JPEG or PNG photo, or set the camera to "Most Compatible".
photo-error-pdf = This file is a PDF document, not a photo. Photograph the document or pick a JPEG or PNG image.
photo-error-not-a-photo = This file is not a photo. Pick a JPEG or PNG image.
photo-error-damaged = The photo is damaged or incomplete. Take it again or pick another one.
photo-error-too-large = The picture is too large to open. Pick a photo from the phone's camera.
photo-error-cannot-fit = The photo cannot be made smaller than 1 MB. Photograph just the document.

## What the engine says when the server cannot be asked, or the phone's store fails
error-offline = No connection to the server. Your changes are kept on the phone and will be sent when the network is back.
error-timeout = The server took too long to answer. Your changes are kept and will be sent again.
error-unexpected = The server gave an answer the app does not understand. Your changes are kept; please try again later.
error-not-logged-in = Please log in to send your changes. Nothing you typed is lost.
error-keystore = The phone's secure key store could not be used. Restart the app; if it keeps happening, check the phone's lock screen settings.
store-error-damaged = The data saved on this phone could not be read. Please restart the app.
store-error-too-new = This data was saved by a newer version of the app. Update M-Paspor from the store.
store-error-sealed = Data saved on this phone cannot be opened with its key (the key store was reset). It has been set aside.
store-error-not-found = That item is no longer on this phone.
store-error-bad-value = That value is not accepted here. What you entered before is kept.
store-error-locked = This application has been submitted; its data can no longer be changed.
