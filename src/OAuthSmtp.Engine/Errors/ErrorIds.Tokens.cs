namespace OAuthSmtp.Engine.Errors;

// Token acquisition and token inspection (Get-SmtpOAuthToken, and every command that gets a token).
// One id per thing an admin has to do differently; the AADSTS codes each id stands for are in the comment.
public static partial class ErrorIds
{
    /// <summary>AADSTS7000215: the client secret is wrong (often the secret ID pasted instead of its value).</summary>
    public const string TokenInvalidClientSecret = nameof(TokenInvalidClientSecret);

    /// <summary>AADSTS7000222: every client secret of the app registration has expired.</summary>
    public const string TokenClientSecretExpired = nameof(TokenClientSecretExpired);

    /// <summary>AADSTS700016: no application with this client id in the tenant.</summary>
    public const string TokenApplicationNotFound = nameof(TokenApplicationNotFound);

    /// <summary>AADSTS90002: the tenant does not exist in this cloud.</summary>
    public const string TokenTenantNotFound = nameof(TokenTenantNotFound);

    /// <summary>AADSTS1002012 / AADSTS70011, or a scope that cannot work for the credential kind (caught before any request).</summary>
    public const string TokenScopeInvalid = nameof(TokenScopeInvalid);

    /// <summary>AADSTS500011: the resource in the scope does not exist in the tenant (typo, or another cloud's resource).</summary>
    public const string TokenResourceNotFound = nameof(TokenResourceNotFound);

    /// <summary>AADSTS700027 (and other client-assertion failures): the certificate is not the one uploaded to the app.</summary>
    public const string TokenCertificateRejected = nameof(TokenCertificateRejected);

    /// <summary>AADSTS65001: no consent for the delegated SMTP.Send permission.</summary>
    public const string TokenConsentRequired = nameof(TokenConsentRequired);

    /// <summary>AADSTS50076 / AADSTS50079: multi-factor authentication (or its registration) is required.</summary>
    public const string TokenMfaRequired = nameof(TokenMfaRequired);

    /// <summary>AADSTS53003: a Conditional Access policy blocks token issuance.</summary>
    public const string TokenBlockedByConditionalAccess = nameof(TokenBlockedByConditionalAccess);

    /// <summary>AADSTS7000112: the enterprise application is disabled for sign-in.</summary>
    public const string TokenApplicationDisabled = nameof(TokenApplicationDisabled);

    /// <summary>The token service kept answering 5xx/429 after the bounded retries.</summary>
    public const string TokenServiceUnavailable = nameof(TokenServiceUnavailable);

    /// <summary>The token service could not be reached (DNS, TCP, TLS) after the bounded retries.</summary>
    public const string TokenServiceUnreachable = nameof(TokenServiceUnreachable);

    /// <summary>Any other refusal by the token service; the message carries the AADSTS code and the service's words.</summary>
    public const string TokenRequestFailed = nameof(TokenRequestFailed);

    /// <summary>The flow needs a person (device code, browser) but the session cannot show them anything.</summary>
    public const string TokenInteractionRequired = nameof(TokenInteractionRequired);

    /// <summary>The user did not finish the device-code or browser sign-in in time, or cancelled it.</summary>
    public const string TokenSignInNotCompleted = nameof(TokenSignInNotCompleted);

    /// <summary>The credential the flow needs was not given (no secret, no certificate, no client id).</summary>
    public const string TokenCredentialMissing = nameof(TokenCredentialMissing);

    /// <summary>No certificate with the thumbprint in the store.</summary>
    public const string TokenCertificateNotFound = nameof(TokenCertificateNotFound);

    /// <summary>The certificate cannot sign (no private key, wrong .pfx password, unreadable file, expired).</summary>
    public const string TokenCertificateUnusable = nameof(TokenCertificateUnusable);

    /// <summary>No managed identity endpoint answered, or it refused the identity.</summary>
    public const string TokenManagedIdentityUnavailable = nameof(TokenManagedIdentityUnavailable);

    /// <summary>A caller-held token has expired and cannot be renewed.</summary>
    public const string TokenExpired = nameof(TokenExpired);

    /// <summary>-AsPlainText and -AsSecureString were both given.</summary>
    public const string TokenOutputConflict = nameof(TokenOutputConflict);

    /// <summary>The text given as a token is not a JWT (three base64url parts with a JSON payload).</summary>
    public const string TokenMalformed = nameof(TokenMalformed);
}
