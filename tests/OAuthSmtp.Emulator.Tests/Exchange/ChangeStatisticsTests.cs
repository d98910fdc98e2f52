using Xunit;

namespace OAuthSmtp.Emulator.Tests.Exchange;

/// <summary>Get-EmuStatistics ExchangeChanges counts the admin cmdlet calls that changed the tenant, so -WhatIf can be proven harmless.</summary>
public sealed class ChangeStatisticsTests : IClassFixture<ExchangeAdminSession>
{
    private readonly ExchangeAdminSession _session;

    public ChangeStatisticsTests(ExchangeAdminSession session)
    {
        _session = session;
        _session.Reset();
        _session.Emulator.Statistics.Reset();
    }

    [Fact]
    public void Only_cmdlets_that_changed_the_tenant_are_counted()
    {
        _session.Run("Get-Mailbox | Out-Null; Get-CASMailbox alerts | Out-Null");
        _session.Run("Set-CASMailbox alerts -SmtpClientAuthenticationDisabled $false -WhatIf");
        _session.Run("Add-MailboxPermission -Identity alerts@contoso.com -User sales@contoso.com -AccessRights FullAccess -WhatIf");
        Assert.Equal(0, _session.Emulator.Statistics.ExchangeChanges);

        _session.Run("Set-CASMailbox alerts -SmtpClientAuthenticationDisabled $false");
        Assert.Equal(1, _session.Emulator.Statistics.ExchangeChanges);
        _session.Run("Add-MailboxPermission -Identity alerts@contoso.com -User sales@contoso.com -AccessRights FullAccess");
        Assert.Equal(2, _session.Emulator.Statistics.ExchangeChanges);
    }
}
