using System;
using System.Linq;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.Model;
using Xunit;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// One emulator (Exchange Online's side of the relay) for all relay tests, which run one after another: each resets
/// it to the Ready scenario with three sending mailboxes the app may use.
/// </summary>
public sealed class RelayEmulatorFixture : IAsyncLifetime
{
    public ExchangeOnlineEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { PropagationDelays = PropagationDefaults.Quick });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>Ready, the per-minute limit out of the way (tests of pacing set it back), FullAccess on the shared and delegated mailboxes too.</summary>
    public ScenarioInfo Reset()
    {
        var info = Emulator.Reset(Scenario.Ready);
        Emulator.Faults.SmtpSettings.MessagesPerRateWindow = 1_000_000;
        Emulator.Faults.SmtpSettings.ContinuousErrorThreshold = 1_000_000;
        var model = Emulator.Tenant;
        lock (model.SyncRoot)
        {
            var enterpriseApp = info.EnterpriseAppObjectId!.Value.ToString();
            foreach (var address in new[] { info.SharedMailbox, info.DelegatedUser })
            {
                var permission = new MailboxPermission { MailboxIdentity = address, User = enterpriseApp, EffectiveAt = Emulator.Clock.UtcNow - TimeSpan.FromDays(1) };
                permission.AccessRights.Add("FullAccess");
                model.MailboxPermissions.Add(permission);
                var mailbox = model.Mailboxes.Single(m => string.Equals(m.PrimarySmtpAddress, address, StringComparison.OrdinalIgnoreCase));
                mailbox.SmtpClientAuthenticationDisabled = false;
                mailbox.PreviousSmtpClientAuthenticationDisabled = false;
            }
        }

        return info;
    }

    /// <summary>One more shared mailbox the app may send as (FullAccess, SMTP AUTH on): a fresh queue and connection at the relay.</summary>
    public string AddMailbox(ScenarioInfo info, string alias)
    {
        var address = alias + "@contoso.com";
        var model = Emulator.Tenant;
        var past = Emulator.Clock.UtcNow - TimeSpan.FromDays(1);
        lock (model.SyncRoot)
        {
            var user = new EntraUser { ObjectId = Guid.NewGuid(), UserPrincipalName = address, DisplayName = alias };
            model.Users.Add(user);
            var mailbox = new Mailbox
            {
                ExternalDirectoryObjectId = user.ObjectId,
                Alias = alias,
                Name = alias,
                DisplayName = alias,
                PrimarySmtpAddress = address,
                UserPrincipalName = address,
                RecipientTypeDetails = "SharedMailbox",
                SkuAssigned = false,
                EffectiveAt = past,
                SmtpSettingEffectiveAt = past,
                SmtpClientAuthenticationDisabled = false,
                PreviousSmtpClientAuthenticationDisabled = false,
            };
            mailbox.ProxyAddresses.Add("SMTP:" + address);
            model.Mailboxes.Add(mailbox);
            var permission = new MailboxPermission { MailboxIdentity = address, User = info.EnterpriseAppObjectId!.Value.ToString(), EffectiveAt = past };
            permission.AccessRights.Add("FullAccess");
            model.MailboxPermissions.Add(permission);
        }

        return address;
    }

    public Mailbox Mailbox(string address)
    {
        lock (Emulator.Tenant.SyncRoot)
        {
            return Emulator.Tenant.Mailboxes.Single(m => string.Equals(m.PrimarySmtpAddress, address, StringComparison.OrdinalIgnoreCase));
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RelayCollection : ICollectionFixture<RelayEmulatorFixture>
{
    /// <summary>The relay tests share one emulator and run alone.</summary>
    public const string Name = "Relay";
}
