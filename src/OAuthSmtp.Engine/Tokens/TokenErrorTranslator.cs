using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Identity.Client;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Turns token-service failures into <see cref="OAuthSmtpException"/>s: one error id per AADSTS code of
/// EXCHANGE-FACTS 5b, the cause in an admin's words and the step that fixes it. The service's own first
/// sentence and the correlation id are kept (support asks for them); secrets and tokens never appear.
/// </summary>
public static class TokenErrorTranslator
{
    private static readonly Regex AadstsCode = new(@"AADSTS(\d{5,8})", RegexOptions.CultureInvariant);

    /// <summary>Translates any exception from an MSAL call; OAuthSmtpExceptions pass through unchanged.</summary>
    public static OAuthSmtpException Translate(Exception exception, TokenErrorContext context)
    {
        switch (exception)
        {
            case OAuthSmtpException ours:
                return ours;
            case MsalServiceException service:
                return TranslateService(service, context);
            case MsalClientException client:
                return TranslateClient(client, context);
            case HttpRequestException when exception.Message.Contains(TokenHttpClientFactory.MaxResponseBytes.ToString(CultureInfo.InvariantCulture)):
                // HttpClient's buffer limit (the number is in its message whatever the language).
                return NotATokenResponse($"its answer is larger than {TokenHttpClientFactory.MaxResponseBytes / 1024} KB, and a token response is a few KB", context, exception);
            case HttpRequestException or SocketException or System.IO.IOException:
                return Unreachable(exception, context);
            case JsonException:
                return NotATokenResponse("its answer is not JSON", context, exception);
            case OperationCanceledException:
                return new OAuthSmtpException(ErrorIds.OperationStopped, ErrorKind.OperationStopped, "The token request was stopped.", null, context.Target, exception);
            default:
                return new OAuthSmtpException(
                    ErrorIds.TokenRequestFailed,
                    ErrorKind.NotSpecified,
                    $"Getting a token failed: {exception.Message}",
                    "Run the command again with -Verbose; if it keeps failing, report it with the message above.",
                    context.Target,
                    exception);
        }
    }

    private static OAuthSmtpException TranslateService(MsalServiceException service, TokenErrorContext context)
    {
        var code = ParseCode(service.Message) ?? ParseCodeFromBody(service.ResponseBody);
        if (code is null && (service.StatusCode >= 500 || service.StatusCode == 429 || IsTransientError(service.ErrorCode)))
        {
            return Unavailable(service.StatusCode, service.Message, service.CorrelationId, context, service);
        }

        if (code is null && context.CredentialKind is CredentialKind.SystemManagedIdentity or CredentialKind.UserManagedIdentity)
        {
            return ManagedIdentityUnavailable(service, context);
        }

        if (service is MsalUiRequiredException && code is null)
        {
            return new OAuthSmtpException(
                ErrorIds.TokenInteractionRequired,
                ErrorKind.AuthenticationError,
                "The saved sign-in can no longer be used silently (the refresh token expired or was revoked); a person has to sign in again.",
                $"In an interactive session run Get-SmtpOAuthToken{ProfileArgument(context)} once and complete the sign-in; scheduled runs then use the renewed sign-in.",
                context.Target,
                service);
        }

        return Translate(code, service.ErrorCode, service.Message, service.StatusCode, service.CorrelationId, context, service);
    }

    /// <summary>
    /// The mapping itself, free of MSAL types so each code can be tested alone.
    /// </summary>
    /// <param name="aadstsCode">The AADSTS number, if the service sent one.</param>
    /// <param name="error">The OAuth error (invalid_client, invalid_scope, …).</param>
    /// <param name="description">The service's error_description.</param>
    /// <param name="httpStatus">The HTTP status, 0 if unknown.</param>
    public static OAuthSmtpException Translate(
        int? aadstsCode, string? error, string? description, int httpStatus, string? correlationId, TokenErrorContext context, Exception? inner = null)
    {
        var said = ServiceSaid(description, correlationId);
        var app = context.ClientId is null ? "the application" : $"the application {context.ClientId}";
        var tenant = context.TenantId is null ? "the tenant" : $"the tenant '{context.TenantId}'";
        var cloud = CloudEndpoints.For(context.Cloud);
        var authority = (context.AuthorityHost ?? cloud.AuthorityHost).ToString().TrimEnd('/');

        OAuthSmtpException Make(string id, ErrorKind kind, string cause, string fix) =>
            new(id, kind, cause + said, fix, context.Target, inner);

        switch (aadstsCode)
        {
            case 7000215:
                return Make(
                    ErrorIds.TokenInvalidClientSecret,
                    ErrorKind.AuthenticationError,
                    $"Entra ID refused the client secret of {app}. Most often the secret ID was pasted instead of the secret value (the value is shown only once, right after the secret is created), or the secret belongs to another app registration.",
                    $"In Entra ID > App registrations > {context.ClientId ?? "your app"} > Certificates & secrets create a new client secret and copy its Value (not the Secret ID), then {context.SetProfile("-ClientSecret (Read-Host -AsSecureString)")}.");
            case 7000222:
                var when = context.SecretExpiresOn is null
                    ? "have expired"
                    : $"expired on {context.SecretExpiresOn.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
                return Make(
                    ErrorIds.TokenClientSecretExpired,
                    ErrorKind.AuthenticationError,
                    $"The client secret(s) of {app} {when}.",
                    $"In Entra ID > App registrations > {context.ClientId ?? "your app"} > Certificates & secrets create a new client secret (or switch to a certificate), then {context.SetProfile("-ClientSecret (Read-Host -AsSecureString)")}.");
            case 700016:
                return Make(
                    ErrorIds.TokenApplicationNotFound,
                    ErrorKind.ObjectNotFound,
                    $"No application with client id '{context.ClientId}' exists in {tenant}: the client id is mistyped (the Application (client) ID, not the Object ID), or a multi-tenant app was never consented in this tenant, or the request went to the wrong tenant.",
                    $"Copy the Application (client) ID from Entra ID > App registrations > Overview and {context.SetProfile("-ClientId <id>")}; for a multi-tenant app have an admin open {authority}/{context.TenantId ?? "<tenant>"}/v2.0/adminconsent?client_id={context.ClientId ?? "<client id>"}&scope={cloud.AppOnlyScope}.");
            case 90002:
                return Make(
                    ErrorIds.TokenTenantNotFound,
                    ErrorKind.ObjectNotFound,
                    $"{Capitalize(tenant)} does not exist at {authority}: the tenant id or domain is mistyped, or it belongs to another cloud (Global, USGov, USGovDoD, China).",
                    $"Copy the Tenant ID from Entra ID > Overview and {context.SetProfile("-TenantId <tenant id>")}; if the tenant is in a national cloud, add -Cloud USGov, USGovDoD or China.");
            case 900023:
                return Make(
                    ErrorIds.InvalidTenantId,
                    ErrorKind.InvalidArgument,
                    $"The tenant value '{context.TenantId}' is neither a tenant GUID nor a domain name.",
                    $"Use the Tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com: {context.SetProfile("-TenantId <tenant id>")}.");
            case 1002012:
            case 70011:
                return Make(
                    ErrorIds.TokenScopeInvalid,
                    ErrorKind.InvalidArgument,
                    aadstsCode == 1002012
                        ? $"Entra ID refused the scope '{context.Scope}': app-only requests must ask for the resource followed by /.default, never for a permission such as SMTP.SendAsApp or SMTP.Send."
                        : $"Entra ID refused the scope '{context.Scope}' as malformed (several resources mixed, or not a valid scope).",
                    TokenScopes.IsAppOnly(context.CredentialKind)
                        ? $"{Capitalize(context.SetProfile($"-Scope '{cloud.AppOnlyScope}'"))}."
                        : $"{Capitalize(context.SetProfile($"-Scope '{cloud.DelegatedScope}'"))}.");
            case 500011:
                return Make(
                    ErrorIds.TokenResourceNotFound,
                    ErrorKind.ObjectNotFound,
                    $"The resource in the scope '{context.Scope}' does not exist in {tenant}: a typo (for example without https://), or the resource of another cloud.",
                    $"Use {cloud.AppOnlyScope} for the {context.Cloud} cloud: {context.SetProfile($"-Scope '{cloud.AppOnlyScope}'")}.");
            case 700024:
                return Make(
                    ErrorIds.TokenCertificateRejected,
                    ErrorKind.AuthenticationError,
                    $"Entra ID refused the certificate assertion of {app} because it is outside its valid time range (already expired, or not valid yet): this computer's clock is wrong by more than a few minutes. The certificate itself was not judged.",
                    "Synchronise this computer's clock (Windows: w32tm /resync; Linux: timedatectl set-ntp true, or chronyc makestep), then run the command again.");
            case 50059:
                return Make(
                    ErrorIds.InvalidTenantId,
                    ErrorKind.InvalidArgument,
                    $"The request went to {authority}/{context.TenantId ?? "common"}, which names no tenant; an app-only (client credentials) token must come from your own tenant, never from /common or /organizations.",
                    $"Use the Tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com: {context.SetProfile("-TenantId <tenant id>")}.");
            case 700027:
            case 700023:
            case 7000274:
                return Make(
                    ErrorIds.TokenCertificateRejected,
                    ErrorKind.AuthenticationError,
                    $"Entra ID refused the certificate assertion of {app}: the certificate (its public part) is not uploaded to this app registration, it was replaced or expired there, or this computer's clock is wrong.",
                    $"Upload the certificate's .cer in Entra ID > App registrations > {context.ClientId ?? "your app"} > Certificates & secrets and check its thumbprint matches the profile's; check the clock; then run the command again.");
            case 65001:
                return Make(
                    ErrorIds.TokenConsentRequired,
                    ErrorKind.PermissionDenied,
                    $"Nobody has consented to {app} using the delegated permission SMTP.Send for this user.",
                    $"Add Office 365 Exchange Online > Delegated permissions > SMTP.Send to the app registration and select 'Grant admin consent', or have the user sign in once interactively and accept: {authority}/{context.TenantId ?? "<tenant>"}/v2.0/adminconsent?client_id={context.ClientId ?? "<client id>"}.");
            case 50076:
                return Make(
                    ErrorIds.TokenMfaRequired,
                    ErrorKind.AuthenticationError,
                    "The user must complete multi-factor authentication, which a silent or scheduled renewal cannot do.",
                    $"Sign in interactively once (Get-SmtpOAuthToken{ProfileArgument(context)} in a console) and complete MFA; for unattended sending use an app-only profile (client secret, certificate or managed identity).");
            case 50079:
                return Make(
                    ErrorIds.TokenMfaRequired,
                    ErrorKind.AuthenticationError,
                    "The user must first register for multi-factor authentication before a token can be issued.",
                    "Have the user register at https://aka.ms/mfasetup, then sign in again; for unattended sending use an app-only profile.");
            case 53003:
                return Make(
                    ErrorIds.TokenBlockedByConditionalAccess,
                    ErrorKind.PermissionDenied,
                    $"A Conditional Access policy in {tenant} blocks issuing this token (it may target the app, the user, the location, or workload identities).",
                    "In Entra ID > Protection > Conditional Access > Sign-in logs find the policy that blocked this sign-in (by correlation id) and exclude the app or adjust its conditions.");
            case 7000112:
                return Make(
                    ErrorIds.TokenApplicationDisabled,
                    ErrorKind.PermissionDenied,
                    $"{Capitalize(app)} is disabled in {tenant} (Enterprise applications > Properties > 'Enabled for users to sign-in?' = No).",
                    $"Set 'Enabled for users to sign-in?' to Yes for the enterprise application, or run Update-MgServicePrincipal -ServicePrincipalId <object id> -AccountEnabled:$true.");
        }

        if (httpStatus >= 500 || httpStatus == 429 || IsTransientError(error))
        {
            return Unavailable(httpStatus, description, correlationId, context, inner);
        }

        var codeText = aadstsCode is null ? (error ?? "an error") : "AADSTS" + aadstsCode.Value.ToString(CultureInfo.InvariantCulture);
        return Make(
            ErrorIds.TokenRequestFailed,
            ErrorKind.AuthenticationError,
            $"Entra ID refused the token request with {codeText}.",
            aadstsCode is null
                ? "Check the profile (Get-SmtpOAuthProfile) and the app registration; run Test-SmtpOAuthSetup for a step-by-step check."
                : $"Look the code up at https://login.microsoftonline.com/error?code={aadstsCode}; run Test-SmtpOAuthSetup for a step-by-step check.");
    }

    /// <summary>The token service answered 5xx/429 after every retry.</summary>
    public static OAuthSmtpException Unavailable(int httpStatus, string? description, string? correlationId, TokenErrorContext context, Exception? inner) =>
        new(
            ErrorIds.TokenServiceUnavailable,
            ErrorKind.ResourceUnavailable,
            $"The token service at {(context.AuthorityHost ?? CloudEndpoints.For(context.Cloud).AuthorityHost).ToString().TrimEnd('/')} is unavailable or throttling{(httpStatus > 0 ? $" (HTTP {httpStatus})" : string.Empty)} and kept failing after the retries.{ServiceSaid(description, correlationId)}",
            "Try again in a few minutes; check https://status.cloud.microsoft for an Entra ID incident.",
            context.Target,
            inner);

    /// <summary>The service answered 200, but not with a token response (a proxy's page, a truncated or empty body).</summary>
    public static OAuthSmtpException NotATokenResponse(string what, TokenErrorContext context, Exception? inner = null) =>
        new(
            ErrorIds.TokenRequestFailed,
            ErrorKind.InvalidData,
            $"The token service at {(context.AuthorityHost ?? CloudEndpoints.For(context.Cloud).AuthorityHost).ToString().TrimEnd('/')} answered, but not with a token: {what}. A proxy, a captive portal or a wrong authority host is the usual cause.",
            "Check the profile's authority host (Get-SmtpOAuthProfile; the cloud's default is right for most tenants) and any proxy between this computer and it.",
            context.Target,
            inner);

    internal static OAuthSmtpException Unreachable(Exception exception, TokenErrorContext context) =>
        new(
            ErrorIds.TokenServiceUnreachable,
            ErrorKind.ConnectionError,
            $"The token service at {(context.AuthorityHost ?? CloudEndpoints.For(context.Cloud).AuthorityHost).ToString().TrimEnd('/')} could not be reached after the retries: {FirstLine(exception.Message)}",
            "Check DNS, the proxy and the firewall for HTTPS (port 443) to the authority host; behind a proxy set HTTPS_PROXY.",
            context.Target,
            exception);

    private static OAuthSmtpException TranslateClient(MsalClientException client, TokenErrorContext context)
    {
        switch (client.ErrorCode)
        {
            case "authentication_canceled":
            case "authentication_ui_failed":
            case "code_expired":
                return new OAuthSmtpException(
                    ErrorIds.TokenSignInNotCompleted,
                    ErrorKind.OperationStopped,
                    "The sign-in was not completed: the code expired or the sign-in was cancelled.",
                    $"Run Get-SmtpOAuthToken{ProfileArgument(context)} again and finish the sign-in within the time shown.",
                    context.Target,
                    client);
            case "request_timeout":
            case "network_not_available":
            case "service_not_available":
                return Unreachable(client, context);
            case "invalid_instance":
            case "invalid_authority":
            case "authority_validation_failed":
                return new OAuthSmtpException(
                    ErrorIds.InvalidAuthorityHost,
                    ErrorKind.InvalidArgument,
                    $"The authority for tenant '{context.TenantId}' at '{context.AuthorityHost}' is not valid: {FirstLine(client.Message)}",
                    "Use the cloud's authority host (Set-SmtpOAuthProfile -Cloud ...) or a full https:// authority host URL.",
                    context.Target,
                    client);
        }

        if (client.Message.IndexOf("managed identity", StringComparison.OrdinalIgnoreCase) >= 0 || client.ErrorCode.StartsWith("managed_identity", StringComparison.Ordinal))
        {
            return ManagedIdentityUnavailable(client, context);
        }

        return new OAuthSmtpException(
            ErrorIds.TokenRequestFailed,
            ErrorKind.NotSpecified,
            $"Getting a token failed ({client.ErrorCode}): {FirstLine(client.Message)}",
            "Run the command again with -Verbose; run Test-SmtpOAuthSetup for a step-by-step check.",
            context.Target,
            client);
    }

    internal static OAuthSmtpException ManagedIdentityUnavailable(Exception exception, TokenErrorContext context) =>
        new(
            ErrorIds.TokenManagedIdentityUnavailable,
            ErrorKind.ResourceUnavailable,
            $"No managed identity token could be obtained: {FirstLine(exception.Message)} A managed identity exists only on an Azure resource (VM, App Service, Functions, Automation, Arc-enabled server) that has one assigned.",
            "Run this on the Azure resource, enable its system-assigned identity or assign the user-assigned identity to it, and for a user-assigned identity pass the right client id, resource id or object id.",
            context.Target,
            exception);

    internal static bool IsTransientError(string? error) =>
        error is "temporarily_unavailable" or "service_unavailable" or "server_error" or "request_timeout";

    internal static int? ParseCode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var match = AadstsCode.Match(text);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    private static int? ParseCodeFromBody(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body!);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error_codes", out var codes)
                && codes.ValueKind == JsonValueKind.Array)
            {
                foreach (var code in codes.EnumerateArray())
                {
                    if (code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var value))
                    {
                        return value;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (an HTML error page from a proxy): no code.
        }

        return null;
    }

    /// <summary>" Entra ID said: 'AADSTS…: first sentence.' (correlation id …)": the service's words without its trace block.</summary>
    private static string ServiceSaid(string? description, string? correlationId)
    {
        var first = FirstLine(description ?? string.Empty).Trim();
        var text = first.Length == 0 ? string.Empty : $" Entra ID said: '{first}'";
        if (!string.IsNullOrEmpty(correlationId))
        {
            text += $" (correlation id {correlationId})";
        }

        return text.Length == 0 ? string.Empty : text + ".";
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(new[] { '\r', '\n' });
        return end < 0 ? text : text.Substring(0, end);
    }

    private static string ProfileArgument(TokenErrorContext context) =>
        context.ProfileName is null ? string.Empty : $" -Profile '{context.ProfileName.Replace("'", "''")}'";

    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
}
