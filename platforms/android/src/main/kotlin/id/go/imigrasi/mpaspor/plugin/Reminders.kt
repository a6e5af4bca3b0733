package id.go.imigrasi.mpaspor.plugin

import android.Manifest
import android.app.Activity
import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import java.util.concurrent.atomic.AtomicInteger

/**
 * Reminders (pay before, the appointment tomorrow, pick up by) as system
 * notifications on their own channel. On Android 13 and later the app asks
 * for the notification permission once; refused, [show] answers 0 and the
 * reminders stay on the home screen only.
 */
class Reminders(private val activity: Activity) {
    private val next = AtomicInteger(1)

    init {
        if (Build.VERSION.SDK_INT >= 26) {
            val channel = NotificationChannel(CHANNEL, "Pengingat / Reminders", NotificationManager.IMPORTANCE_DEFAULT)
            activity.getSystemService(NotificationManager::class.java).createNotificationChannel(channel)
        }
        if (!allowed()) {
            activity.runOnUiThread {
                activity.requestPermissions(arrayOf(Manifest.permission.POST_NOTIFICATIONS), ASK)
            }
        }
    }

    private fun allowed(): Boolean =
        Build.VERSION.SDK_INT < 33 ||
            ContextCompat.checkSelfPermission(activity, Manifest.permission.POST_NOTIFICATIONS) ==
            PackageManager.PERMISSION_GRANTED

    /** Shows one notification; 1 if shown, 0 if notifications are not allowed. */
    fun show(title: String, body: String): Int {
        if (!allowed()) return 0
        val notification = NotificationCompat.Builder(activity, CHANNEL)
            .setSmallIcon(android.R.drawable.ic_dialog_info)
            .setContentTitle(title)
            .setContentText(body)
            .setStyle(NotificationCompat.BigTextStyle().bigText(body))
            .setAutoCancel(true)
            // Names and billing codes stay off a locked screen: it shows the app, not the text.
            .setVisibility(NotificationCompat.VISIBILITY_PRIVATE)
            .build()
        NotificationManagerCompat.from(activity).notify(next.getAndIncrement(), notification)
        return 1
    }

    companion object {
        const val CHANNEL = "reminders"
        const val ASK = 7301
    }
}
