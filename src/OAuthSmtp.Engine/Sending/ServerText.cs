namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Text that came from the server (or from an exception that quotes it) shortened before it goes into an error
/// message: a hostile or broken server decides its length, and an error record is no place for a megabyte of it.
/// </summary>
internal static class ServerText
{
    public const int MaxLength = 300;

    public static string Excerpt(string? text)
    {
        var value = (text ?? string.Empty).Trim();
        return value.Length <= MaxLength ? value : value.Substring(0, MaxLength) + $"… ({value.Length:N0} characters in all)";
    }

    /// <summary>
    /// The most telling message of an exception chain: a timeout wherever it sits (TLS wraps ours as "The read
    /// operation failed, see inner exception"), else the first message that does not just point further down.
    /// </summary>
    public static string Reason(System.Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is System.TimeoutException)
            {
                return Excerpt(current.Message);
            }
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current.InnerException is null || current.Message.IndexOf("inner exception", System.StringComparison.OrdinalIgnoreCase) < 0)
            {
                return Excerpt(current.Message);
            }
        }

        return Excerpt(exception.Message);
    }
}
