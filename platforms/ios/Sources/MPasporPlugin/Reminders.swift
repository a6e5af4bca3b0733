import Foundation
import UserNotifications

/// Reminders (pay before, the appointment tomorrow, pick up by) as local
/// notifications. Asks for permission once; refused, `show` answers 0 and the
/// reminders stay on the home screen only.
@objc(Reminders)
public final class Reminders: NSObject {
    private let lock = NSLock()
    private var allowed = false

    public override init() {
        super.init()
        UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound]) {
            granted, _ in
            self.lock.lock()
            self.allowed = granted
            self.lock.unlock()
        }
    }

    /// Shows one notification now; 1 if it was handed to the system.
    @objc(show::)
    public func show(_ title: NSString, _ body: NSString) -> Int32 {
        lock.lock()
        let allowed = self.allowed
        lock.unlock()
        if !allowed {
            return 0
        }
        let content = UNMutableNotificationContent()
        content.title = title as String
        content.body = body as String
        let request = UNNotificationRequest(
            identifier: UUID().uuidString, content: content, trigger: nil)
        UNUserNotificationCenter.current().add(request)
        return 1
    }
}
