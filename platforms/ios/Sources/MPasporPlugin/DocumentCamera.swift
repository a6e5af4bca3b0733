import Foundation
import PhotosUI
import UIKit

/// Takes one document picture at a time, from the camera or the photo
/// library, and leaves it as a JPEG in the temporary directory for Rust to
/// read (and delete). Rust calls `start` and then `poll` until the answer is
/// not "pending": "cancelled", "error:<why>" or "file:<path>". HEIC from the
/// library becomes JPEG here (UIImage is already upright).
@objc(DocumentCamera)
public final class DocumentCamera: NSObject, UIImagePickerControllerDelegate,
    UINavigationControllerDelegate, PHPickerViewControllerDelegate
{
    private let lock = NSLock()
    private var state = "idle"
    private var kind = "document"

    /// `camera` 1 opens the camera, 0 the library; answers 1 if it could.
    @objc(start::)
    public func start(_ kind: NSString, _ camera: Int32) -> Int32 {
        let camera = camera == 1
        if camera && !UIImagePickerController.isSourceTypeAvailable(.camera) {
            return 0
        }
        set("pending")
        self.kind = kind as String
        DispatchQueue.main.async {
            guard let top = Self.topController() else {
                self.set("error:no window")
                return
            }
            if camera {
                let picker = UIImagePickerController()
                picker.sourceType = .camera
                picker.delegate = self
                top.present(picker, animated: true)
            } else {
                var config = PHPickerConfiguration()
                config.filter = .images
                config.selectionLimit = 1
                let picker = PHPickerViewController(configuration: config)
                picker.delegate = self
                top.present(picker, animated: true)
            }
        }
        return 1
    }

    @objc(poll)
    public func poll() -> NSString {
        lock.lock()
        defer { lock.unlock() }
        return state as NSString
    }

    public func imagePickerController(
        _ picker: UIImagePickerController,
        didFinishPickingMediaWithInfo info: [UIImagePickerController.InfoKey: Any]
    ) {
        picker.dismiss(animated: true)
        keep(info[.originalImage] as? UIImage)
    }

    public func imagePickerControllerDidCancel(_ picker: UIImagePickerController) {
        picker.dismiss(animated: true)
        set("cancelled")
    }

    public func picker(_ picker: PHPickerViewController, didFinishPicking results: [PHPickerResult]) {
        picker.dismiss(animated: true)
        guard let item = results.first?.itemProvider, item.canLoadObject(ofClass: UIImage.self) else {
            set("cancelled")
            return
        }
        item.loadObject(ofClass: UIImage.self) { object, error in
            if let error = error {
                self.set("error:" + error.localizedDescription)
            } else {
                self.keep(object as? UIImage)
            }
        }
    }

    private func keep(_ image: UIImage?) {
        guard let data = image?.jpegData(compressionQuality: 0.92) else {
            set("error:not a picture")
            return
        }
        let name = "\(kind)-\(Int(Date().timeIntervalSince1970 * 1000)).jpg"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        do {
            try data.write(to: url, options: [.completeFileProtection])
            set("file:" + url.path)
        } catch {
            set("error:" + error.localizedDescription)
        }
    }

    private func set(_ value: String) {
        lock.lock()
        state = value
        lock.unlock()
    }

    private static func topController() -> UIViewController? {
        let scenes = UIApplication.shared.connectedScenes.compactMap { $0 as? UIWindowScene }
        var top = scenes.flatMap { $0.windows }.first { $0.isKeyWindow }?.rootViewController
        while let presented = top?.presentedViewController {
            top = presented
        }
        return top
    }
}
