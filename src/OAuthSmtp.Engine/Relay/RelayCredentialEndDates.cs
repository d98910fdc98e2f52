using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Checks;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Setup.Rotation;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// End dates of the client secrets the relay sends with, for secrets made in the Entra portal: only Entra ID knows
/// when those expire, and the relay process never calls Graph. The relay's management (Get-SmtpOAuthRelay) reads the
/// end date through the admin's Graph session (Application.Read.All is enough), picks the profile's secret as the
/// doctor's CredentialLifetime check does, and records it in the relay's profile (CredentialEndsOn, CredentialKeyId);
/// the relay then warns from it 30 days ahead, as for secrets Initialize-SmtpOAuthSetup or Update-SmtpOAuthCredential made.
/// </summary>
public static class RelayCredentialEndDates
{
    /// <summary>The one command that records the end dates, in a Graph session.</summary>
    public const string RecordCommand = "Connect-MgGraph -Scopes Application.Read.All; Get-SmtpOAuthRelay";

    /// <summary>What the relay and Get-SmtpOAuthRelay say about a client secret whose end date nobody recorded.</summary>
    public static string UnknownMessage(string profile) =>
        string.Format(
            CultureInfo.InvariantCulture,
            "The client secret of profile '{0}' has no recorded end date (a secret made in the Entra portal is known to Entra ID only), so the relay cannot warn before it expires and mail stops. Record it: {1} (it reads the end date with your Graph session and records it for the relay).",
            profile,
            RecordCommand);

    /// <summary>The relay devices' client-secret profiles (in the relay's profile store) without a recorded end date.</summary>
    /// <exception cref="OAuthSmtpException">The relay configuration cannot be read.</exception>
    public static IReadOnlyList<SmtpOAuthProfile> Unknown(RelayConfigurationStore store)
    {
        if (store is null)
        {
            throw new ArgumentNullException(nameof(store));
        }

        var configuration = store.Load();
        var profiles = new ProfileStore(store.Resolve(configuration.ProfileStorePath));
        var unknown = new List<SmtpOAuthProfile>();
        foreach (var name in configuration.Clients.Select(c => c.Profile).Where(p => !string.IsNullOrEmpty(p)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            SmtpOAuthProfile? profile;
            try
            {
                profile = profiles.TryGetProfile(name!);
            }
            catch (OAuthSmtpException)
            {
                continue; // an unreadable store: the relay's status names it.
            }

            if (profile is { CredentialKind: CredentialKind.ClientSecret, CredentialEndsOn: null })
            {
                unknown.Add(profile);
            }
        }

        return unknown;
    }

    /// <summary>Reads each unknown end date through <paramref name="graph"/> and records the ones it can tell.</summary>
    public static IReadOnlyList<RelayCredentialEndDate> Record(RelayConfigurationStore store, IGraphAdmin graph, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (graph is null)
        {
            throw new ArgumentNullException(nameof(graph));
        }

        var profiles = new ProfileStore(store.Resolve(store.Load().ProfileStorePath));
        var outcomes = new List<RelayCredentialEndDate>();
        foreach (var profile in Unknown(store))
        {
            outcomes.Add(RecordOne(profiles, profile, graph, now, cancellationToken));
        }

        return outcomes;
    }

    private static RelayCredentialEndDate RecordOne(ProfileStore profiles, SmtpOAuthProfile profile, IGraphAdmin graph, DateTimeOffset now, CancellationToken cancellationToken)
    {
        AppCredentials? app;
        try
        {
            app = AppCredentials.Read(graph, profile.ClientId, cancellationToken);
        }
        catch (OAuthSmtpException ex)
        {
            return new RelayCredentialEndDate(profile.Name, null, false, $"The end date of profile '{profile.Name}''s client secret could not be read from Entra ID: {ex.Message} {ex.Fix}");
        }

        if (app is null)
        {
            return new RelayCredentialEndDate(profile.Name, null, false, $"Profile '{profile.Name}' names app {profile.ClientId}, which your Graph session's tenant does not have: its client secret's end date is unknown. Connect-MgGraph to the profile's tenant ({profile.TenantId}) and run Get-SmtpOAuthRelay again.");
        }

        string? secretValue = null;
        try
        {
            using var stored = profiles.ReadSecret(profile);
            secretValue = stored is null ? null : new NetworkCredential(string.Empty, stored).Password;
        }
        catch (OAuthSmtpException)
        {
            // Without the secret's first characters only an app with one secret can be matched.
        }

        var hint = new ProfileSetupTokenSource(TokenProvider.Shared, new TokenRequest(profile) { Secret = secretValue }).ClientSecretHint;
        var secrets = app.Secrets.Select(s => new EntraCredentialRecord(s.KeyId, s.DisplayName, s.HintOrThumbprint, s.EndDateTime)).ToList();
        var secret = CredentialLifetimeCheck.ProfileSecret(secrets, hint);
        if (secret?.EndDateTime is not { } end)
        {
            return new RelayCredentialEndDate(profile.Name, null, false, $"App '{app.DisplayName}' has {secrets.Count} client secret(s) and profile '{profile.Name}''s cannot be told apart ({string.Join("; ", app.Secrets)}): its end date is unknown. Look in Entra ID > App registrations > Certificates & secrets.");
        }

        profile.CredentialKeyId = secret.KeyId;
        profile.CredentialEndsOn = end;
        profiles.UpdateProfile(profile, null);
        var days = (int)Math.Floor((end - now).TotalDays);
        var expiring = end - now <= TimeSpan.FromDays(30);
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Recorded for the relay: the client secret '{0}' (id {1}) of profile '{2}' {3} {4:yyyy-MM-dd}{5}.",
            secret.DisplayName ?? secret.KeyId,
            secret.KeyId,
            profile.Name,
            end <= now ? "expired on" : "expires on",
            end,
            end <= now ? string.Empty : $", in {days} day(s)");
        if (expiring)
        {
            message += $" Rotate it: Update-SmtpOAuthCredential -Profile '{profile.Name}' -RemoveOld (with $env:OAUTHSMTP_HOME set to the relay's profile store).";
        }

        return new RelayCredentialEndDate(profile.Name, end, expiring, message);
    }
}
