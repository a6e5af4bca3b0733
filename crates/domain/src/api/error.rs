//! The error body every failure answers with, and the codes it may carry.

use serde::{Deserialize, Serialize};

/// `{"error": {"code": ..., "message": ..., "field": ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Machine-readable; one of [`ErrorCode`] (a newer server may add more).
    pub code: String,
    /// Human-readable, in English; the app shows its own translation of the code.
    pub message: String,
    /// The field of the request at fault, as a dotted path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With `version_conflict`: the version the server holds now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<u64>,
    /// With `rate_limited` and `otp_cooldown`: seconds until a retry may succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: code.as_str().to_owned(),
                message: message.into(),
                field: None,
                current_version: None,
                retry_after_seconds: None,
            },
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> ErrorBody {
        self.error.field = Some(field.into());
        self
    }

    /// The code as the enum, or `None` for a code this build does not know.
    pub fn code(&self) -> Option<ErrorCode> {
        self.error.code.parse().ok()
    }
}

crate::choice::wire_enum! {
    /// Every error code the API answers with. The app has a message for each
    /// in both languages (checked by a test).
    ErrorCode {
        BadRequest = "bad_request",
        InvalidJson = "invalid_json",
        ValidationFailed = "validation_failed",
        Unauthorized = "unauthorized",
        TokenExpired = "token_expired",
        SessionEnded = "session_ended",
        NotFound = "not_found",
        MethodNotAllowed = "method_not_allowed",
        VersionConflict = "version_conflict",
        PreconditionRequired = "precondition_required",
        PayloadTooLarge = "payload_too_large",
        UnsupportedMediaType = "unsupported_media_type",
        RateLimited = "rate_limited",
        EmailTaken = "email_taken",
        InvalidCredentials = "invalid_credentials",
        AccountNotVerified = "account_not_verified",
        OtpInvalid = "otp_invalid",
        OtpExpired = "otp_expired",
        OtpCooldown = "otp_cooldown",
        WeakPassword = "weak_password",
        ApplicantLimit = "applicant_limit",
        NotOnFamilyCard = "not_on_family_card",
        NikInvalid = "nik_invalid",
        IdentityInvalid = "identity_invalid",
        ActiveApplicationExists = "active_application_exists",
        IncompleteApplication = "incomplete_application",
        DeclarationRequired = "declaration_required",
        NotEditable = "not_editable",
        OfficeCannotIssue = "office_cannot_issue",
        SlotFull = "slot_full",
        BillingExpired = "billing_expired",
        AlreadyPaid = "already_paid",
        NotPaid = "not_paid",
        NtpnNotFound = "ntpn_not_found",
        RescheduleRefused = "reschedule_refused",
        CancelRefused = "cancel_refused",
        TransitionRefused = "transition_refused",
        DocumentRejected = "document_rejected",
        IdempotencyKeyReused = "idempotency_key_reused",
        WatchLimit = "watch_limit",
        CorrectionRefused = "correction_refused",
        InjectedFault = "injected_fault",
        Internal = "internal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_body_has_the_documented_shape() {
        let body = ErrorBody::new(ErrorCode::SlotFull, "no places left").with_field("slot_id");
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "slot_full", "message": "no places left", "field": "slot_id"}})
        );
        let back: ErrorBody = serde_json::from_value(json).unwrap();
        assert_eq!(back.code(), Some(ErrorCode::SlotFull));
        let unknown: ErrorBody =
            serde_json::from_str(r#"{"error":{"code":"from_the_future","message":"?"}}"#).unwrap();
        assert_eq!(unknown.code(), None);
    }
}
