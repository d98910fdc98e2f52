namespace OAuthSmtp.Engine.Errors;

/// <summary>
/// The catalogue of error ids: part of the public contract (scripts match on FullyQualifiedErrorId).
/// Each area keeps its ids in its own part of this partial class (ErrorIds.&lt;Area&gt;.cs); every id is
/// documented in README.md's error table, which a test checks.
/// </summary>
public static partial class ErrorIds
{
    /// <summary>An unexpected failure inside the module; the message says what was being done.</summary>
    public const string UnexpectedError = nameof(UnexpectedError);

    /// <summary>The user pressed Ctrl+C or the pipeline was stopped.</summary>
    public const string OperationStopped = nameof(OperationStopped);
}
