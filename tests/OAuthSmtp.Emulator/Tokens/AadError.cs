using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>
/// An Entra (AADSTS) error as the token endpoint returns it: HTTP status, `error`, optional `suberror`, and the
/// message that starts error_description. Texts of EXCHANGE-FACTS §5b are reproduced verbatim; the others are labelled
/// in the README.
/// </summary>
public sealed record AadError(int Code, string Error, int Status, string Message, string? SubError = null)
{
    /// <summary>The JSON body: error, error_description (message + Trace ID / Correlation ID / Timestamp lines), error_codes, timestamp, trace_id, correlation_id, error_uri.</summary>
    public string ToJson(DateTimeOffset now, string? correlationId)
    {
        var traceId = Guid.NewGuid().ToString();
        correlationId = Guid.TryParse(correlationId, out var parsed) ? parsed.ToString() : Guid.NewGuid().ToString();
        var timestamp = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = new Dictionary<string, object>
        {
            ["error"] = Error,
            ["error_description"] = $"AADSTS{Code}: {Message}\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlationId}\r\nTimestamp: {timestamp}",
            ["error_codes"] = new[] { Code },
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={Code}",
        };
        if (SubError is not null)
        {
            body["suberror"] = SubError;
        }

        return JsonSerializer.Serialize(body);
    }

    // ---- EXCHANGE-FACTS §5b (observed texts) ----

    public static AadError InvalidClientSecret(string appId) => new(7000215, "invalid_client", 401,
        $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{appId}'.");

    public static AadError ExpiredClientSecret(string appId) => new(7000222, "invalid_client", 401,
        $"The provided client secret keys for app '{appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.");

    public static AadError ApplicationNotFound(string clientId, string tenantName) => new(700016, "unauthorized_client", 400,
        $"Application with identifier '{clientId}' was not found in the directory '{tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");

    public static AadError TenantNotFound(string tenant) => new(90002, "invalid_request", 400,
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");

    public static AadError MalformedTenant(string tenant) => new(900023, "invalid_request", 400,
        $"Specified tenant identifier '{tenant}' is neither a valid DNS name, nor a valid external domain.");

    public static AadError ClientCredentialScopeWithoutDefault(string scope) => new(1002012, "invalid_scope", 400,
        $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");

    public static AadError InvalidScope(string scope) => new(70011, "invalid_scope", 400,
        $"The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid.");

    public static AadError ResourceNotFound(string resource, string tenantName) => new(500011, "invalid_resource", 400,
        $"The resource principal named {resource} was not found in the tenant named {tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");

    public static AadError AssertionKeyNotFound(string thumbprintHex, string appId) => new(700027, "invalid_client", 401,
        $"Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '{thumbprintHex}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{appId}'.]");

    public static AadError AssertionKeyExpired(string thumbprintHex) => new(700027, "invalid_client", 401,
        $"Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '{thumbprintHex}']");

    public static AadError AssertionSignatureInvalid() => new(700027, "invalid_client", 401,
        "Client assertion failed signature validation.");

    /// <summary>
    /// exp past or nbf in the future [OBS: AzureAD/microsoft-authentication-library-for-java#984,
    /// AzureAD/microsoft-authentication-library-for-dotnet#4951]; a missing nbf reads as 1970 in the real text.
    /// </summary>
    public static AadError AssertionOutsideValidTime(DateTimeOffset now, DateTimeOffset? notBefore, DateTimeOffset? expires) => new(700024, "invalid_client", 401,
        $"Client assertion is not within its valid time range. Current time: {Iso(now)}, assertion valid from {Iso(notBefore ?? DateTimeOffset.UnixEpoch)}, expiry time of assertion {Iso(expires ?? DateTimeOffset.UnixEpoch)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .");

    /// <summary>Client credentials on /common or /organizations [OBS: MicrosoftDocs/azure-docs#24064].</summary>
    public static AadError NoTenantIdentifyingInformation() => new(50059, "invalid_request", 400,
        "No tenant-identifying information found in either the request or implied by any provided credentials.");

    public static AadError AssertionMalformed(string reason) => new(700027, "invalid_client", 401,
        $"Client assertion contains an invalid signature. [Reason - {reason}]");

    public static AadError ConsentRequired(string appId, string appName) => new(65001, "invalid_grant", 400,
        $"The user or administrator has not consented to use the application with ID '{appId}' named '{appName}'. Send an interactive authorization request for this user and resource.", "consent_required");

    public static AadError MfaRequired(string resource) => new(50076, "invalid_grant", 400,
        $"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{resource}'.", "basic_action");

    public static AadError MfaRegistrationRequired(string resource) => new(50079, "interaction_required", 400,
        $"Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '{resource}'.");

    public static AadError ConditionalAccessBlocked(bool delegated) => new(53003, delegated ? "interaction_required" : "access_denied", 400,
        "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.");

    public static AadError ApplicationDisabled(string appId, string name) => new(7000112, "unauthorized_client", 400,
        $"Application '{appId}'({name}) is disabled.");

    // ---- Other protocol errors (see README: observed / inferred) ----

    public static AadError UserNotFound(string userPrincipalName, string tenantName) => new(50034, "invalid_grant", 400,
        $"The user account {userPrincipalName} does not exist in the {tenantName} directory. To sign into this application, the account must be added to the directory.");

    public static AadError MissingParameter(string name) => new(900144, "invalid_request", 400,
        $"The request body must contain the following parameter: '{name}'.");

    public static AadError MissingClientCredential() => new(7000218, "invalid_client", 401,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

    public static AadError UnsupportedGrantType(string grantType) => new(70003, "unsupported_grant_type", 400,
        $"The app requested an unsupported grant type '{grantType}'.");

    public static AadError AuthorizationPending() => new(70016, "authorization_pending", 400,
        "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");

    public static AadError DeviceCodeExpired() => new(70020, "expired_token", 400,
        "The provided value for the input parameter 'device_code' is not valid. This device code has expired.");

    public static AadError AuthorizationDeclined() => new(70000, "authorization_declined", 400,
        "The end user denied the authorization request.");

    public static AadError InvalidDeviceCode() => new(70000, "invalid_grant", 400,
        "The provided value for the input parameter 'device_code' is not valid.");

    public static AadError AuthorizationCodeInvalid() => new(70008, "invalid_grant", 400,
        "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");

    public static AadError AuthorizationCodeRedeemed() => new(54005, "invalid_grant", 400,
        "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");

    public static AadError CodeVerifierMismatch() => new(501481, "invalid_grant", 400,
        "The Code_Verifier does not match the code_challenge supplied in the authorization request.");

    public static AadError RedirectUriMismatch(string redirectUri, string appId) => new(50011, "invalid_request", 400,
        $"The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.");

    public static AadError RefreshTokenInvalid() => new(9002313, "invalid_grant", 400,
        "Invalid request. Request is malformed or invalid.");

    public static AadError UserAccountDisabled() => new(50057, "invalid_grant", 400,
        "The user account is disabled.");

    /// <summary>503 body while Faults.TokenServiceOutageCount lasts [INF: the shape of a transient Entra failure].</summary>
    public static AadError TemporarilyUnavailable() => new(90033, "temporarily_unavailable", 503,
        "A transient error has occurred. Please try again.");

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Thrown inside the token service to end a request with an <see cref="AadError"/>.</summary>
internal sealed class AadErrorException : Exception
{
    public AadErrorException(AadError error)
        : base(error.Message)
    {
        Error = error;
    }

    public AadError Error { get; }
}
