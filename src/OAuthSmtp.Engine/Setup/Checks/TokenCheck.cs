using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>Entra ID issues a token for the profile's credential (valid, not expired, app enabled).</summary>
public sealed class TokenCheck : SetupCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Profile, SetupStep.Tenant };

    public override SetupStep Step => SetupStep.Token;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Asking Entra ID for an SMTP token";

    public override SetupCheckResult Run(SetupContext context)
    {
        AccessToken token;
        try
        {
            token = context.Wait(ct => context.Services.Tokens.GetSmtpTokenAsync(ct));
        }
        catch (OAuthSmtpException refused) when (refused.ErrorId != ErrorIds.OperationStopped)
        {
            var plan = refused.ErrorId switch
            {
                ErrorIds.TokenApplicationNotFound => EntraFixes.ForMissingEnterpriseApplication(context),
                ErrorIds.TokenClientSecretExpired => EntraFixes.ForExpiredSecret(context),
                _ => EntraFixPlan.None,
            };
            return Fail(
                $"Entra ID issued no token for client {context.ClientId}: {FirstSentence(refused.Message)}",
                refused.Message,
                plan.FixLines.Count == 0 ? refused.Fix : string.Join(System.Environment.NewLine, plan.FixLines.Concat(new[] { refused.Fix }).Where(l => !string.IsNullOrEmpty(l))),
                DocumentationFor(refused.ErrorId),
                refused.ErrorId,
                plan.Actions,
                plan.Pending);
        }

        context.Token = token;
        var claims = JwtClaimsDecoder.TryDecode(token.Value);
        if (claims is null)
        {
            // Exchange may one day issue opaque tokens; the later checks then rely on Exchange alone.
            return Warning(
                "A token was issued, but it is not a readable JWT, so its audience and permissions cannot be checked here.",
                "The checks of the token's permissions are skipped; the SMTP handshake still shows whether Exchange accepts it.",
                null,
                SetupDocumentation.OAuthForSmtp);
        }

        context.Claims = claims;
        var grants = claims.IdentityType == TokenIdentityType.User
            ? $"user {claims.UserPrincipalName ?? claims.ObjectId}, scopes: {Join(claims.Scopes)}"
            : $"service principal (oid) {claims.ObjectId}, roles: {Join(claims.Roles)}";
        return Pass(string.Format(
            CultureInfo.InvariantCulture,
            "Token issued for {0} to app {1} ({2}); {3}; expires {4:u}.",
            claims.Audience ?? "(no audience)",
            claims.ClientId ?? "?",
            claims.ClientAuthentication,
            grants,
            claims.ExpiresOn ?? token.ExpiresOn));
    }

    private static string Join(IReadOnlyList<string> values) => values.Count == 0 ? "(none)" : string.Join(" ", values);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", System.StringComparison.Ordinal);
        return end > 0 ? message.Substring(0, end + 1) : message;
    }

    private static string DocumentationFor(string errorId) => errorId switch
    {
        ErrorIds.TokenInvalidClientSecret or ErrorIds.TokenClientSecretExpired or ErrorIds.TokenCertificateRejected => SetupDocumentation.ClientSecrets,
        ErrorIds.TokenTenantNotFound or ErrorIds.InvalidTenantId => SetupDocumentation.NationalClouds,
        ErrorIds.TokenApplicationNotFound => SetupDocumentation.AdminConsent,
        ErrorIds.TokenScopeInvalid or ErrorIds.TokenResourceNotFound => SetupDocumentation.ClientCredentials,
        _ => SetupDocumentation.AadstsErrors,
    };
}
