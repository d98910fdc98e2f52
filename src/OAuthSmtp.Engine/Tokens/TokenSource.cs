namespace OAuthSmtp.Engine.Tokens;

/// <summary>Where a token came from.</summary>
public enum TokenSource
{
    /// <summary>Issued by the token service for this call.</summary>
    Service,

    /// <summary>Reused from the cache (in this process, or MSAL's persisted delegated cache): no request was made.</summary>
    Cache,

    /// <summary>Given by the caller (-AccessToken, -Decode): not issued or cached by us.</summary>
    Supplied,
}
