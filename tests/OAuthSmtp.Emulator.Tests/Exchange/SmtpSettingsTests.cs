using System;
using System.Linq;
using OAuthSmtp.Emulator.Model;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Exchange;

public sealed class SmtpSettingsTests : IClassFixture<ExchangeAdminSession>
{
    private readonly ExchangeAdminSession _session;

    public SmtpSettingsTests(ExchangeAdminSession session)
    {
        _session = session;
        _session.Reset();
    }

    private Mailbox Alerts => _session.Tenant.Mailboxes.Single(m => m.Alias == "alerts");

    [Fact]
    public void SetCasMailboxFalseOverridesTheOrganizationAndNullFollowsItAgain()
    {
        Assert.False(TenantQueries.IsSmtpClientAuthenticationEnabled(_session.Tenant, Alerts));

        _session.Run("Set-CASMailbox -Identity alerts@contoso.com -SmtpClientAuthenticationDisabled $false");
        Assert.Equal(false, Alerts.SmtpClientAuthenticationDisabled);
        Assert.True(TenantQueries.IsSmtpClientAuthenticationEnabled(_session.Tenant, Alerts));
        var cas = Assert.Single(_session.Run("Get-CASMailbox alerts").Output);
        Assert.Equal(false, ExchangeAdminSession.Property(cas, "SmtpClientAuthenticationDisabled"));
        Assert.Equal("alerts@contoso.com", ExchangeAdminSession.Property(cas, "PrimarySmtpAddress"));

        _session.Run("Set-CASMailbox alerts -SmtpClientAuthenticationDisabled $null");
        Assert.Null(Alerts.SmtpClientAuthenticationDisabled);
        Assert.False(TenantQueries.IsSmtpClientAuthenticationEnabled(_session.Tenant, Alerts));
    }

    [Fact]
    public void TheOldMailboxValueStaysInForceUntilTheChangePropagates()
    {
        _session.Tenant.PropagationDelays[ChangeKind.CasMailbox] = TimeSpan.FromHours(1);

        _session.Run("Set-CASMailbox alerts -SmtpClientAuthenticationDisabled $false");

        var shown = Assert.Single(_session.Run("Get-CASMailbox alerts").Output);
        Assert.Equal(false, ExchangeAdminSession.Property(shown, "SmtpClientAuthenticationDisabled"));
        Assert.False(TenantQueries.IsSmtpClientAuthenticationEnabled(_session.Tenant, Alerts));
        _session.Emulator.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.True(TenantQueries.IsSmtpClientAuthenticationEnabled(_session.Tenant, Alerts));
    }

    [Fact]
    public void SetCasMailboxWhatIfChangesNothing()
    {
        _session.Run("Set-CASMailbox alerts -SmtpClientAuthenticationDisabled $false -WhatIf");

        Assert.Null(Alerts.SmtpClientAuthenticationDisabled);
    }

    [Fact]
    public void GetExoCasMailboxShowsSmtpClientAuthenticationDisabledOnlyWhenAskedFor()
    {
        _session.Run("Set-CASMailbox alerts -SmtpClientAuthenticationDisabled $true");

        var minimal = Assert.Single(_session.Run("Get-EXOCasMailbox -Identity alerts@contoso.com").Output);
        Assert.Null(minimal.Properties["SmtpClientAuthenticationDisabled"]);
        Assert.Equal("alerts", ExchangeAdminSession.Property(minimal, "Identity"));

        var asked = Assert.Single(_session.Run("Get-EXOCasMailbox -PrimarySmtpAddress alerts@contoso.com -Properties SmtpClientAuthenticationDisabled").Output);
        Assert.Equal(true, ExchangeAdminSession.Property(asked, "SmtpClientAuthenticationDisabled"));
        Assert.Equal("alerts@contoso.com", ExchangeAdminSession.Property(asked, "PrimarySmtpAddress"));
    }

    [Fact]
    public void TransportConfigSwitchesSmtpAuthForTheOrganization()
    {
        var before = Assert.Single(_session.Run("Get-TransportConfig").Output);
        Assert.Equal(true, ExchangeAdminSession.Property(before, "SmtpClientAuthenticationDisabled"));

        _session.Run("Set-TransportConfig -SmtpClientAuthenticationDisabled $false -WhatIf");
        Assert.True(_session.Tenant.TransportConfig.SmtpClientAuthenticationDisabled);
        _session.Run("Set-TransportConfig -SmtpClientAuthenticationDisabled $false");

        Assert.False(_session.Tenant.TransportConfig.SmtpClientAuthenticationDisabled);
        Assert.Equal(false, ExchangeAdminSession.Property(Assert.Single(_session.Run("Get-TransportConfig").Output), "SmtpClientAuthenticationDisabled"));
        Assert.True(TenantQueries.IsSmtpClientAuthenticationEnabled(_session.Tenant, Alerts));
    }

    [Fact]
    public void AuthenticationPoliciesBlockBasicSmtpUnlessAllowed()
    {
        var created = Assert.Single(_session.Run("New-AuthenticationPolicy -Name 'Block Basic'").Output);
        Assert.Equal(false, ExchangeAdminSession.Property(created, "AllowBasicAuthSmtp"));
        Assert.Equal("Block Basic", ExchangeAdminSession.Property(created, "Name"));

        _session.Run("Set-AuthenticationPolicy -Identity 'Block Basic' -AllowBasicAuthSmtp");
        Assert.True(_session.Tenant.AuthenticationPolicies.Single().AllowBasicAuthSmtp);
        _session.Run("Set-AuthenticationPolicy 'Block Basic' -AllowBasicAuthSmtp:$false");
        Assert.False(_session.Tenant.AuthenticationPolicies.Single().AllowBasicAuthSmtp);
        Assert.Single(_session.Run("Get-AuthenticationPolicy").Output);
    }

    [Fact]
    public void OrganizationConfigShowsTheDefaultAuthenticationPolicy()
    {
        _session.Tenant.DefaultAuthenticationPolicy = "Block Basic";

        var config = Assert.Single(_session.Run("Get-OrganizationConfig").Output);

        Assert.Equal("Block Basic", ExchangeAdminSession.Property(config, "DefaultAuthenticationPolicy"));
        Assert.Equal("contoso.onmicrosoft.com", ExchangeAdminSession.Property(config, "Name"));
    }

    [Theory]
    [InlineData("Get-Mailbox -Identity alerts")]
    [InlineData("Get-Mailbox alerts@contoso.com")]
    [InlineData("Get-EXOMailbox -UserPrincipalName alerts@contoso.onmicrosoft.com")]
    [InlineData("Get-EXOMailbox -PrimarySmtpAddress alerts@contoso.com")]
    [InlineData("Get-EXOMailbox -ExternalDirectoryObjectId {edoid}")]
    [InlineData("Get-EXOMailbox -Identity Alerts")]
    public void MailboxesAreFoundByEveryIdentityForm(string command)
    {
        var result = _session.Run(command.Replace("{edoid}", Alerts.ExternalDirectoryObjectId.ToString()));

        var mailbox = Assert.Single(result.Output);
        Assert.Equal("alerts@contoso.com", ExchangeAdminSession.Property(mailbox, "PrimarySmtpAddress"));
        Assert.Equal("alerts@contoso.onmicrosoft.com", ExchangeAdminSession.Property(mailbox, "UserPrincipalName"));
        Assert.Equal("UserMailbox", ExchangeAdminSession.Property(mailbox, "RecipientTypeDetails"));
        Assert.Equal(Alerts.ExternalDirectoryObjectId.ToString(), ExchangeAdminSession.Property(mailbox, "ExternalDirectoryObjectId"));
        Assert.Equal("alerts", ExchangeAdminSession.Property(mailbox, "Alias"));
        Assert.Equal("alerts", ExchangeAdminSession.Property(mailbox, "Identity"));
        Assert.Contains("SMTP:alerts@contoso.com", (string[])ExchangeAdminSession.Property(mailbox, "EmailAddresses")!);
    }

    [Fact]
    public void GetMailboxShowsSkuAssignedForTheLicensedUserMailboxAndNotForTheSharedOne()
    {
        var alerts = Assert.Single(_session.Run("Get-Mailbox alerts@contoso.com").Output);
        var sales = Assert.Single(_session.Run("Get-Mailbox sales@contoso.com").Output);
        Assert.Equal(true, ExchangeAdminSession.Property(alerts, "SKUAssigned"));
        Assert.Equal(false, ExchangeAdminSession.Property(sales, "SKUAssigned"));

        Alerts.SkuAssigned = false;
        var exo = Assert.Single(_session.Run("Get-EXOMailbox -PrimarySmtpAddress alerts@contoso.com -Properties SKUAssigned").Output);
        Assert.Equal(false, ExchangeAdminSession.Property(exo, "SKUAssigned"));
    }

    [Fact]
    public void GetExoMailboxReturnsExchangeGuidOnlyWithProperties()
    {
        var minimal = Assert.Single(_session.Run("Get-EXOMailbox alerts").Output);
        Assert.Null(minimal.Properties["ExchangeGuid"]);

        var full = Assert.Single(_session.Run("Get-EXOMailbox alerts -Properties ExchangeGuid").Output);
        Assert.Equal(Alerts.ExchangeGuid, ExchangeAdminSession.Property(full, "ExchangeGuid"));
        Assert.Equal(Alerts.ExchangeGuid, ExchangeAdminSession.Property(Assert.Single(_session.Run("Get-Mailbox alerts").Output), "ExchangeGuid"));
    }

    [Fact]
    public void GetMailboxWithoutIdentityListsEveryMailboxAndFiltersByType()
    {
        Assert.Equal(2, _session.Run("Get-Mailbox").Output.Count);
        var shared = Assert.Single(_session.Run("Get-EXOMailbox -RecipientTypeDetails SharedMailbox").Output);
        Assert.Equal("sales@contoso.com", ExchangeAdminSession.Property(shared, "PrimarySmtpAddress"));
        Assert.Single(_session.Run("Get-Mailbox -Filter \"PrimarySmtpAddress -eq 'sales@contoso.com'\"").Output);
    }

    [Fact]
    public void TwoIdentityParametersAtOnceAreRefused()
    {
        var result = _session.RunExpectingError("Get-EXOMailbox -Identity alerts -PrimarySmtpAddress alerts@contoso.com");

        Assert.Contains("Identity and PrimarySmtpAddress", result.AllErrors.First().Exception.Message);
    }
}
