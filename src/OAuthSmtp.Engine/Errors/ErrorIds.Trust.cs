namespace OAuthSmtp.Engine.Errors;

/// <summary>Error ids of the host trust rule (<see cref="Trust.HostTrustPolicy"/>): where a token or secret may go.</summary>
public static partial class ErrorIds
{
    /// <summary>The SMTP server is not an Exchange Online host of the cloud and was not named explicitly; no token was sent.</summary>
    public const string UntrustedSmtpServer = nameof(UntrustedSmtpServer);

    /// <summary>The authority host is not a Microsoft sign-in host of the cloud and was not named explicitly; no secret was sent.</summary>
    public const string UntrustedAuthorityHost = nameof(UntrustedAuthorityHost);

    /// <summary>The Graph endpoint is not https, or not the cloud's Graph host and not named explicitly; no Graph token was sent.</summary>
    public const string UntrustedGraphEndpoint = nameof(UntrustedGraphEndpoint);
}
