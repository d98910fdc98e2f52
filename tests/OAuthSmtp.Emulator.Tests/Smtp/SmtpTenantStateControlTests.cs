using System;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using OAuthSmtp.Emulator.PowerShell;
using OAuthSmtp.Emulator.Tests.Tokens;
using OAuthSmtp.Hosting;
using Xunit;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>
/// The tenant states of section 5a as a person checking behaviour by hand sets them: Set-EmuMailboxState,
/// Set-EmuTenantPolicy and Set-EmuFault in a hosted runspace, then a token from the token service and MailKit over
/// STARTTLS against the whole emulator.
/// </summary>
public sealed class SmtpTenantStateControlTests : IAsyncLifetime, IDisposable
{
    private ExchangeOnlineEmulator _emulator = null!;
    private PowerShellSession _session = null!;

    public async Task InitializeAsync()
    {
        _emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { PropagationDelays = PropagationDefaults.Quick });
        var options = new PowerShellSessionOptions();
        options.Modules.Add(EmulatorModules.ControlModulePath);
        options.Variables[EmulatorSession.VariableName] = _emulator;
        _session = new PowerShellSession(options);
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _session?.Dispose();

    [Fact]
    public async Task Each_state_set_by_its_control_cmdlet_gives_its_reply_and_clearing_it_lets_mail_through()
    {
        var scenario = _emulator.Reset(Scenario.Ready);
        using var client = await ConnectAndAuthenticateAsync(scenario.Mailbox);

        Assert.Equal("554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded",
            await RefusalAfterAsync($"Set-EmuMailboxState -Identity '{scenario.Mailbox}' -SendQuotaExceeded", client, scenario.Mailbox, withoutHostTag: true));
        Assert.Equal("550 5.1.8 Bad outbound sender",
            await RefusalAfterAsync($"Set-EmuMailboxState '{scenario.Mailbox}' -SendQuotaExceeded:$false -RestrictedSender", client, scenario.Mailbox));
        Assert.Equal("550 5.7.705 Access denied, tenant has exceeded threshold",
            await RefusalAfterAsync($"Set-EmuMailboxState '{scenario.Mailbox}' -RestrictedSender:$false; Set-EmuTenantPolicy -TenantBlocked", client, scenario.Mailbox));
        Assert.StartsWith("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
            await RefusalAfterAsync("Set-EmuTenantPolicy -TenantBlocked:$false -LowReputationIp", client, scenario.Mailbox), StringComparison.Ordinal);
        Assert.StartsWith("550 5.7.520 Access denied, Your organization does not allow external forwarding.",
            await RefusalAfterAsync("Set-EmuTenantPolicy -LowReputationIp:$false -OutboundForwardingBlocked", client, scenario.Mailbox), StringComparison.Ordinal);
        Assert.Equal("451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)",
            await RefusalAfterAsync("Set-EmuTenantPolicy -OutboundForwardingBlocked:$false; Set-EmuFault -ServerBusyCount 1", client, scenario.Mailbox));

        await client.SendAsync(SmtpTestHost.Message(from: scenario.Mailbox, subject: "after every state was cleared"));
        Assert.Equal("after every state was cleared", Assert.Single(_emulator.Delivered.All).Subject);
    }

    [Fact]
    public void WhatIf_changes_nothing_and_Reset_EmuTenant_clears_every_state()
    {
        var scenario = _emulator.Reset(Scenario.Ready);

        var result = _session.Run($"Set-EmuMailboxState '{scenario.Mailbox}' -RestrictedSender -WhatIf; Set-EmuTenantPolicy -TenantBlocked -WhatIf");
        Assert.Empty(result.AllErrors);
        Assert.False(_emulator.Tenant.Tenant.OutboundSendingBlocked);
        Assert.False(Mailbox(scenario.Mailbox).IsRestrictedSender);

        result = _session.Run($"Set-EmuMailboxState '{scenario.Mailbox}' -RestrictedSender -StorageLimitStatus ProhibitSend; Set-EmuTenantPolicy -TenantBlocked -InitialDomainSpamBlock; Reset-EmuTenant -Scenario Ready | Out-Null");
        Assert.Empty(result.AllErrors);
        Assert.False(_emulator.Tenant.Tenant.OutboundSendingBlocked);
        Assert.False(_emulator.Tenant.Tenant.InitialDomainSpamBlock);
        Assert.Equal("BelowLimit", Mailbox(scenario.Mailbox).StorageLimitStatus);
        Assert.False(Mailbox(scenario.Mailbox).IsRestrictedSender);
    }

    [Fact]
    public void An_unknown_mailbox_is_a_not_found_error_that_says_where_to_look()
    {
        _emulator.Reset(Scenario.Ready);

        var result = _session.Run("Set-EmuMailboxState -Identity nobody@nowhere.example -RestrictedSender");

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("MailboxNotFound", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Get-EmuTenant", error.Exception.Message, StringComparison.Ordinal);
    }

    private Model.Mailbox Mailbox(string address)
    {
        lock (_emulator.Tenant.SyncRoot) return Model.TenantQueries.FindMailbox(_emulator.Tenant, address)!;
    }

    /// <summary>Runs the control script, then sends one message and returns the refusal (host tag removed when asked).</summary>
    private async Task<string> RefusalAfterAsync(string script, SmtpClient client, string mailbox, bool withoutHostTag = false)
    {
        var result = _session.Run(script);
        Assert.True(result.ErrorText.Length == 0, result.ErrorText);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message(from: mailbox)));
        var reply = SmtpAssert.ReplyOf(error);
        Assert.Empty(_emulator.Delivered.All);
        if (!withoutHostTag) return reply;

        Assert.Matches(" " + SmtpAssert.HostTagPattern.Replace("localhost", "[^ ]+", StringComparison.Ordinal) + "$", reply);
        return reply.Substring(0, reply.LastIndexOf(" [", StringComparison.Ordinal));
    }

    private async Task<SmtpClient> ConnectAndAuthenticateAsync(string mailbox)
    {
        var scenario = _emulator.Current;
        var token = (await Msal.WithSecret(_emulator, scenario.ClientId!.Value.ToString(), scenario.ClientSecret!)
            .AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync()).AccessToken;
        var client = new SmtpClient { Timeout = 10_000, ServerCertificateValidationCallback = SmtpTestHost.ValidateAgainstEmulatorRoot };
        await client.ConnectAsync(scenario.SmtpServer, scenario.SmtpPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(new SaslMechanismOAuth2(mailbox, token));
        return client;
    }
}
