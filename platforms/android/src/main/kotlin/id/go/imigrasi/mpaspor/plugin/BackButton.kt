package id.go.imigrasi.mpaspor.plugin

import android.app.Activity
import androidx.activity.ComponentActivity
import androidx.activity.OnBackPressedCallback
import java.util.concurrent.atomic.AtomicInteger

/**
 * The system back button and back gesture. Without this the activity
 * finishes on back (Dioxus issue #5155); with it, each press is counted and
 * the Rust side goes back a screen, or calls [leave] on the first screen.
 */
class BackButton(private val activity: Activity) {
    private val presses = AtomicInteger(0)

    init {
        val host = activity as? ComponentActivity
        host?.runOnUiThread {
            host.onBackPressedDispatcher.addCallback(host, object : OnBackPressedCallback(true) {
                override fun handleOnBackPressed() {
                    presses.incrementAndGet()
                }
            })
        }
    }

    fun takePresses(): Int = presses.getAndSet(0)

    fun leave() {
        activity.runOnUiThread { activity.moveTaskToBack(true) }
    }
}
