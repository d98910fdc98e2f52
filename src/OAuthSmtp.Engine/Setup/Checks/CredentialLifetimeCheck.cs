using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>
/// The client secret (end date from Graph, where the app may read it) or the certificate (from the certificate itself)
/// does not expire within the warning period; when it does, the rotation steps.
/// </summary>
public sealed class CredentialLifetimeCheck : SetupCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Profile };

    public override SetupStep Step => SetupStep.CredentialLifetime;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Checking when the credential expires";

    public override SetupCheckResult Run(SetupContext context)
    {
        var kind = context.Profile.CredentialKind;
        switch (kind)
        {
            case CredentialKind.SystemManagedIdentity:
            case CredentialKind.UserManagedIdentity:
                return Pass("Managed identity: Azure rotates its credential; nothing to renew.");
            case CredentialKind.DeviceCode:
            case CredentialKind.Interactive:
                return Pass("Delegated sign-in: no client secret or certificate to renew (the saved sign-in renews itself while it is used).");
            case CredentialKind.CertificateThumbprint:
            case CredentialKind.CertificateFile:
                var notAfter = context.Services.Tokens.CertificateNotAfter;
                return notAfter is null
                    ? Skipped("Not checked: the certificate could not be read (the Token step says why).")
                    : Judge(context, "certificate", notAfter.Value, null, CertificateRotation(context));
            default:
                return CheckSecret(context);
        }
    }

    private SetupCheckResult CheckSecret(SetupContext context)
    {
        if (context.Token is null)
        {
            return Skipped("Not checked: without a token, Entra ID cannot be asked for the client secret's end date (the Token step says why).");
        }

        var application = context.Application;
        if (application is null)
        {
            return Skipped("Not checked: the client secret's end date is in Entra ID, which this app may not read. To let this check see it, grant the app Microsoft Graph > Application permissions > Application.Read.All; or look in Entra ID > App registrations > Certificates & secrets.");
        }

        var secret = ProfileSecret(application.Secrets, context.Services.Tokens.ClientSecretHint);
        if (secret?.EndDateTime is null)
        {
            var ends = application.Secrets.Where(s => s.EndDateTime is not null).Select(s => $"{s.DisplayName ?? s.KeyId} ends {s.EndDateTime:yyyy-MM-dd}");
            return Skipped($"Not checked: the app has {application.Secrets.Count} client secret(s) and the profile's cannot be told apart ({string.Join("; ", ends)}).");
        }

        return Judge(context, $"client secret '{secret.DisplayName ?? secret.KeyId}' (id {secret.KeyId})", secret.EndDateTime.Value, secret, SecretRotation(context, secret));
    }

    /// <summary>
    /// Which of an app's client secrets the profile holds: the one whose Graph hint (its first characters) starts the
    /// profile's secret (<paramref name="hint"/>), else the app's only secret; null when they cannot be told apart.
    /// The relay's management records the end date it finds this way (RelayCredentialEndDates).
    /// </summary>
    public static EntraCredentialRecord? ProfileSecret(IReadOnlyList<EntraCredentialRecord> secrets, string? hint)
    {
        if (secrets is null)
        {
            throw new ArgumentNullException(nameof(secrets));
        }

        var matching = secrets.Where(s => hint is not null && s.Hint is not null && hint.StartsWith(s.Hint, StringComparison.Ordinal)).ToList();
        return matching.Count == 1 ? matching[0] : secrets.Count == 1 ? secrets[0] : null;
    }

    private SetupCheckResult Judge(SetupContext context, string what, DateTimeOffset endsOn, EntraCredentialRecord? secret, string rotation)
    {
        var now = context.Now;
        var date = endsOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var days = (int)Math.Floor((endsOn - now).TotalDays);
        if (endsOn <= now)
        {
            return Fail(
                $"The {what} expired on {date}.",
                "Entra ID no longer accepts it: every token request fails (AADSTS7000222 for a secret, AADSTS700027 for a certificate) and no mail is sent.",
                rotation,
                SetupDocumentation.ClientSecrets,
                ErrorIds.SetupCredentialExpiring);
        }

        if (endsOn - now <= context.Request.CredentialWarningPeriod)
        {
            return Warning(
                $"The {what} expires on {date}, in {days} day(s).",
                "On that day every token request fails and mail stops. Rotate it before then.",
                rotation,
                SetupDocumentation.ClientSecrets,
                ErrorIds.SetupCredentialExpiring);
        }

        return Pass($"The {what} is valid until {date} ({days} days).");
    }

    /// <summary>The one command that rotates a client secret or certificate without an outage (Update-SmtpOAuthCredential), before the same steps by hand.</summary>
    private static string RotationCommand(SetupContext context) =>
        $"Update-SmtpOAuthCredential -Profile {context.ProfileArgument} -RemoveOld    # adds a credential through your Graph session ({GraphNotConnected.ConnectCommand}), proves it, stores it, then removes the old one. By hand:";

    private static string SecretRotation(SetupContext context, EntraCredentialRecord old) =>
        string.Join(Environment.NewLine, new[]
        {
            RotationCommand(context),
            $"1. Entra ID > App registrations > {context.ClientId} > Certificates & secrets > New client secret; copy its Value (not the Secret ID).",
            $"2. Set-SmtpOAuthProfile -Name {context.ProfileArgument} -ClientSecret (Read-Host -AsSecureString -Prompt 'New client secret value')",
            $"3. Test-SmtpOAuthSetup -Profile {context.ProfileArgument}",
            $"4. Delete the old secret (id {old.KeyId}) in Certificates & secrets.",
        });

    private static string CertificateRotation(SetupContext context) =>
        string.Join(Environment.NewLine, new[]
        {
            RotationCommand(context),
            "1. Create or obtain a new certificate and upload its public part (.cer) in Entra ID > App registrations > " + context.ClientId + " > Certificates & secrets.",
            context.Profile.CredentialKind == CredentialKind.CertificateFile
                ? $"2. Set-SmtpOAuthProfile -Name {context.ProfileArgument} -CertificatePath <new .pfx> -CertificatePassword (Read-Host -AsSecureString -Prompt 'Password of the new .pfx')"
                : $"2. Set-SmtpOAuthProfile -Name {context.ProfileArgument} -CertificateThumbprint <new thumbprint>",
            $"3. Test-SmtpOAuthSetup -Profile {context.ProfileArgument}",
            context.Services.Tokens.CertificateThumbprint is { } old
                ? $"4. Delete the old certificate (thumbprint {old}) from the app registration's Certificates & secrets."
                : "4. Delete the old certificate from the app registration's Certificates & secrets.",
        });
}
