using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.Relay.Outbound;

namespace OAuthSmtp.Relay.Status;

/// <summary>
/// Warnings for status.json well before a sending profile's credential stops working, within the doctor's warning
/// period (30 days): the certificate's end date as the doctor's CredentialLifetime check reads it
/// (ProfileSetupTokenSource), a client secret's end date as the profile recorded it (Initialize-SmtpOAuthSetup and
/// Update-SmtpOAuthCredential record it, and Get-SmtpOAuthRelay records a portal-made secret's through the admin's
/// Graph session; until then the warning says the end date is unknown and names that command), and profiles the
/// relay cannot use at all.
/// </summary>
internal static class CredentialWarnings
{
    public static List<RelayCredentialWarning> For(IEnumerable<RelayClient> devices, SendingProfiles profiles, DateTimeOffset now)
    {
        var warnings = new List<RelayCredentialWarning>();
        foreach (var device in devices.GroupBy(d => (d.Profile ?? string.Empty, d.Mailbox ?? string.Empty)).Select(g => g.First()))
        {
            SendingProfile profile;
            try
            {
                profile = profiles.Resolve(device.Profile ?? string.Empty, device.Mailbox ?? string.Empty);
            }
            catch (OAuthSmtpException ex)
            {
                warnings.Add(new RelayCredentialWarning { Profile = device.Profile, Message = $"Device '{device.Name}' cannot send: {ex.Message} {ex.Fix}" });
                continue;
            }

            var period = new SetupRequest(profile.Profile).CredentialWarningPeriod;
            var isSecret = profile.Profile.CredentialKind == CredentialKind.ClientSecret;
            var notAfter = isSecret
                ? profile.Profile.CredentialEndsOn
                : new ProfileSetupTokenSource(TokenProvider.Shared, profile.Request).CertificateNotAfter;
            if (isSecret && notAfter is null)
            {
                warnings.Add(new RelayCredentialWarning { Profile = profile.Profile.Name, Message = RelayCredentialEndDates.UnknownMessage(profile.Profile.Name) });
                continue;
            }

            if (notAfter is { } end && end - now <= period)
            {
                warnings.Add(new RelayCredentialWarning
                {
                    Profile = profile.Profile.Name,
                    ExpiresOn = end,
                    Message = Describe(profile.Profile.Name, isSecret, end, now),
                });
            }
        }

        return warnings.GroupBy(w => w.Message).Select(g => g.First()).ToList();
    }

    private static string Describe(string profile, bool isSecret, DateTimeOffset end, DateTimeOffset now)
    {
        var what = isSecret ? "client secret" : "certificate";
        var state = end <= now
            ? string.Format(CultureInfo.InvariantCulture, "The {0} of profile '{1}' expired on {2:yyyy-MM-dd}: no token, no mail.", what, profile, end)
            : string.Format(CultureInfo.InvariantCulture, "The {0} of profile '{1}' expires on {2:yyyy-MM-dd}, in {3} day(s); then the relay can send nothing.", what, profile, end, (int)Math.Floor((end - now).TotalDays));
        var fix = isSecret
            ? string.Format(CultureInfo.InvariantCulture, "Rotate it: Update-SmtpOAuthCredential -Profile '{0}' -RemoveOld.", profile)
            : string.Format(CultureInfo.InvariantCulture, "Upload a new certificate to the app registration and point the profile at it: Set-SmtpOAuthProfile -Name '{0}' -CertificateThumbprint <new thumbprint>.", profile);
        return state + " " + fix;
    }
}
