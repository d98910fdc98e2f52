namespace OAuthSmtp.Engine.Errors;

/// <summary>
/// What kind of failure an engine error is. The cmdlet layer maps each value to PowerShell's ErrorCategory,
/// so the engine stays free of PowerShell types.
/// </summary>
public enum ErrorKind
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    AuthenticationError,
    PermissionDenied,
    SecurityError,
    ConnectionError,
    ProtocolError,
    OperationTimeout,
    OperationStopped,
    LimitsExceeded,
    QuotaExceeded,
    ReadError,
    WriteError,
    NotImplemented,
}
