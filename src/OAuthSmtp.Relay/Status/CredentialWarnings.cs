using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.Relay.Outbound;

namespace OAuthSmtp.Relay.Status;

/// <summary>
/// Warnings for status.json well before a sending profile's credential stops working: the certificate's end date as
/// the doctor's CredentialLifetime check reads it (ProfileSetupTokenSource), within the doctor's warning period
/// (30 days), and profiles the relay cannot use at all. A client secret's end date is kept in Entra ID only; the
/// doctor reads it through Graph (Test-SmtpOAuthSetup), which the relay does not call.
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
            var notAfter = new ProfileSetupTokenSource(TokenProvider.Shared, profile.Request).CertificateNotAfter;
            if (notAfter is { } end && end - now <= period)
            {
                var days = (int)Math.Floor((end - now).TotalDays);
                warnings.Add(new RelayCredentialWarning
                {
                    Profile = profile.Profile.Name,
                    ExpiresOn = end,
                    Message = end <= now
                        ? string.Format(CultureInfo.InvariantCulture, "The certificate of profile '{0}' expired on {1:yyyy-MM-dd}: no token, no mail. Rotate it: Update-SmtpOAuthCredential -Profile '{0}'.", profile.Profile.Name, end)
                        : string.Format(CultureInfo.InvariantCulture, "The certificate of profile '{0}' expires on {1:yyyy-MM-dd}, in {2} day(s); then the relay can send nothing. Rotate it: Update-SmtpOAuthCredential -Profile '{0}'.", profile.Profile.Name, end, days),
                });
            }
        }

        return warnings.GroupBy(w => w.Message).Select(g => g.First()).ToList();
    }
}
