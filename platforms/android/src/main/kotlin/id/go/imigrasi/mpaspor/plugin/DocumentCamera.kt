package id.go.imigrasi.mpaspor.plugin

import android.app.Activity
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.net.Uri
import androidx.activity.ComponentActivity
import androidx.activity.result.ActivityResultLauncher
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.core.content.FileProvider
import java.io.File

/**
 * Takes one document picture at a time, from the camera or the system photo
 * picker, and leaves it as a file in the app's cache for Rust to read (and
 * delete). Rust calls [start] and then [poll] until the answer is not
 * "pending". JPEG and PNG are handed over as they are (the Rust side reads
 * their orientation and strips their metadata); anything else the gallery
 * holds (HEIC, WebP) is converted to JPEG here.
 */
class DocumentCamera(private val activity: Activity) {
    @Volatile
    private var state: String = "idle"
    private var launcher: ActivityResultLauncher<*>? = null

    /** `camera` 1 opens the camera, 0 the photo picker; answers 1 if it could (ints: see src/native.rs). */
    fun start(kind: String, camera: Int): Int {
        val host = activity as? ComponentActivity ?: return 0
        state = "pending"
        host.runOnUiThread {
            try {
                if (camera == 1) openCamera(host, kind) else openGallery(host, kind)
            } catch (e: Exception) {
                finish("error:" + (e.message ?: e.javaClass.simpleName))
            }
        }
        return 1
    }

    fun poll(): String = state

    private fun openCamera(host: ComponentActivity, kind: String) {
        val file = target(host, kind, "jpg")
        val uri = FileProvider.getUriForFile(host, host.packageName + ".documents", file)
        val l = host.activityResultRegistry.register(
            "mpaspor-camera-$kind",
            ActivityResultContracts.TakePicture(),
        ) { taken ->
            finish(if (taken && file.length() > 0) "file:" + file.absolutePath else "cancelled")
        }
        launcher = l
        l.launch(uri)
    }

    private fun openGallery(host: ComponentActivity, kind: String) {
        val l = host.activityResultRegistry.register(
            "mpaspor-gallery-$kind",
            ActivityResultContracts.PickVisualMedia(),
        ) { uri ->
            finish(if (uri == null) "cancelled" else copy(host, uri, kind))
        }
        launcher = l
        l.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly))
    }

    private fun copy(host: ComponentActivity, uri: Uri, kind: String): String {
        val type = host.contentResolver.getType(uri) ?: ""
        val input = host.contentResolver.openInputStream(uri) ?: return "error:unreadable"
        input.use { stream ->
            if (type == "image/jpeg" || type == "image/png") {
                val file = target(host, kind, if (type == "image/png") "png" else "jpg")
                file.outputStream().use { stream.copyTo(it) }
                return "file:" + file.absolutePath
            }
            val bitmap = BitmapFactory.decodeStream(stream) ?: return "error:not a picture"
            val file = target(host, kind, "jpg")
            file.outputStream().use { bitmap.compress(Bitmap.CompressFormat.JPEG, 92, it) }
            bitmap.recycle()
            return "file:" + file.absolutePath
        }
    }

    private fun target(host: ComponentActivity, kind: String, ext: String): File {
        val dir = File(host.cacheDir, "documents").apply { mkdirs() }
        return File(dir, "$kind-${System.currentTimeMillis()}.$ext")
    }

    private fun finish(answer: String) {
        launcher?.unregister()
        launcher = null
        state = answer
    }
}
