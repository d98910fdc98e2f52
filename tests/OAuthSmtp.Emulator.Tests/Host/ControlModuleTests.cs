using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.PowerShell;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Host;

/// <summary>The Emu* control cmdlets in a hosted runspace, finding the emulator through $OAuthSmtpEmulator.</summary>
public sealed class ControlModuleTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly ExchangeOnlineEmulator _emulator;
    private readonly PowerShellSession _session;

    public ControlModuleTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.Reset(Scenario.Ready);
        var options = new PowerShellSessionOptions();
        options.Modules.Add(EmulatorModules.ControlModulePath);
        options.Variables[EmulatorSession.VariableName] = _emulator;
        _session = new PowerShellSession(options);
    }

    public void Dispose() => _session.Dispose();

    [Fact]
    public void Reset_and_Get_EmuTenant_describe_the_scenario()
    {
        var result = _session.Run("Reset-EmuTenant -Scenario Fresh | Out-Null; Get-EmuTenant");
        Assert.Empty(result.Errors);
        var tenant = Assert.IsType<ScenarioInfo>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(Scenario.Fresh, tenant.Scenario);
        Assert.Equal(_emulator.Current.TenantId, tenant.TenantId);
        Assert.Matches(@"^[A-Za-z0-9]{3}\dQ~[A-Za-z0-9_.~-]{34}$", tenant.ClientSecret);
        Assert.NotEqual(tenant.AppObjectId, tenant.EnterpriseAppObjectId);
        Assert.Equal(_emulator.AuthorityHost, tenant.AuthorityHost);
        Assert.Equal(_emulator.GraphEndpoint, tenant.GraphEndpoint);
        Assert.Empty(_emulator.Tenant.ExchangeServicePrincipals);
        Assert.True(_emulator.Tenant.TransportConfig.SmtpClientAuthenticationDisabled);
    }

    [Fact]
    public void Set_EmuApplication_and_policies_change_what_the_token_service_does()
    {
        var result = _session.Run("Set-EmuApplication -Disabled; Set-EmuTenantPolicy -SecurityDefaults -ConditionalAccessBlock; Set-EmuApplication -SecretExpired");
        Assert.Empty(result.Errors);
        Assert.False(_emulator.Tenant.ServicePrincipals.Single(s => s.AppId == _emulator.Current.ClientId).AccountEnabled);
        Assert.True(_emulator.Tenant.Tenant.SecurityDefaultsEnabled);
        Assert.True(_emulator.Tenant.Tenant.ConditionalAccessBlock);
        Assert.All(_emulator.Tenant.Applications.Single().Secrets, s => Assert.True(s.EndDateTime < _emulator.Clock.UtcNow));

        result = _session.Run("Set-EmuApplication -Disabled:$false -RevokeConsent; Set-EmuTenantPolicy -ConditionalAccessBlock:$false");
        Assert.Empty(result.Errors);
        Assert.True(_emulator.Tenant.ServicePrincipals.Single(s => s.AppId == _emulator.Current.ClientId).AccountEnabled);
        Assert.DoesNotContain(_emulator.Tenant.AppRoleAssignments, a => a.RoleValue == "SMTP.SendAsApp" && a.PrincipalId == _emulator.Current.EnterpriseAppObjectId);

        result = _session.Run("Set-EmuApplication -Remove -WhatIf");
        Assert.Single(_emulator.Tenant.Applications);
        result = _session.Run("Set-EmuApplication -Remove");
        Assert.Empty(_emulator.Tenant.Applications);
    }

    [Fact]
    public void Faults_clock_delay_and_statistics()
    {
        var before = DateTimeOffset.UtcNow;
        var result = _session.Run(
            "Set-EmuFault -TokenServiceOutage 3 -TokenLifetimeSeconds 300 -SmtpReplyLatencyMs 5 -TransientReplyAt MailFrom -Count 2; " +
            "Set-EmuPropagationDelay -Kind MailboxPermission -Delay ([TimeSpan]::FromMinutes(30)); " +
            "Set-EmuClock -Advance ([TimeSpan]::FromHours(2))");
        Assert.Empty(result.Errors);
        Assert.Equal(3, _emulator.Faults.TokenServiceOutageCount);
        Assert.Equal(300, _emulator.Faults.TokenLifetimeSeconds);
        Assert.Equal(5, _emulator.Faults.SmtpReplyLatencyMs);
        Assert.Equal(OAuthSmtp.Emulator.Smtp.SmtpStage.MailFrom, _emulator.Faults.TransientReplyAt);
        Assert.Equal(2, _emulator.Faults.TransientReplyCount);
        Assert.Equal(TimeSpan.FromMinutes(30), _emulator.Tenant.PropagationDelays[Model.ChangeKind.MailboxPermission]);
        var after = DateTimeOffset.UtcNow;

        // Two hours ahead of the real time at the moment it was read, which lies between before and after, however
        // long the run took on this machine.
        var now = (DateTimeOffset)result.Output.Single().BaseObject;
        Assert.InRange(now, before + TimeSpan.FromHours(2), after + TimeSpan.FromHours(2));

        _emulator.Statistics.CountTokenRequest();
        var statistics = _session.Run("Get-EmuStatistics").Output.Single();
        Assert.Equal(1L, statistics.Properties["TokenRequests"].Value);
        Assert.Empty(_session.Run("Get-EmuDeliveredMessage").Output);
    }

    [Fact]
    public void Smtp_settings_licence_send_size_managed_identity_roles_and_propagation_profiles()
    {
        var result = _session.Run(
            "Set-EmuSmtpSetting -SendAsDeniedReply Legacy -LegacyConcurrencyText -MaxConcurrentSubmissions 2 -ContinuousErrorThreshold 4 " +
            "-ContinuousErrorLockout ([TimeSpan]::FromMinutes(5)) -ContinuousErrorReplyAtEndOfData -RefuseBdatWithAttachments -MaxHeaderBytes 4096 -MessagesPerMinute 7; " +
            "Set-EmuMailboxState alerts@contoso.com -Licensed:$false -MaxSendSize 1000; " +
            "Set-EmuManagedIdentity (Get-EmuTenant).UserAssignedIdentityClientId -RevokeRole SMTP.SendAsApp; " +
            "Set-EmuPropagationDelay -All ([TimeSpan]::FromSeconds(3))");
        Assert.Empty(result.Errors);
        var settings = _emulator.Faults.SmtpSettings;
        Assert.Equal(OAuthSmtp.Emulator.Smtp.SendAsDeniedReplyForm.Legacy, settings.SendAsDeniedReply);
        Assert.True(settings.UseLegacyConcurrencyText);
        Assert.Equal(2, settings.MaxConcurrentSubmissionsPerMailbox);
        Assert.Equal(4, settings.ContinuousErrorThreshold);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.ContinuousErrorLockout);
        Assert.True(settings.ContinuousErrorReplyAtEndOfData);
        Assert.True(settings.RefuseBdatWithAttachments);
        Assert.Equal(4096, settings.MaxHeaderBytes);
        Assert.Equal(7, settings.MessagesPerRateWindow);
        var mailbox = _emulator.Tenant.Mailboxes.Single(m => m.PrimarySmtpAddress == "alerts@contoso.com");
        Assert.False(mailbox.SkuAssigned);
        Assert.Equal(1000, mailbox.MaxSendSize);
        Assert.DoesNotContain(_emulator.Tenant.AppRoleAssignments, a => a.PrincipalId == _emulator.Current.UserAssignedIdentityObjectId);
        Assert.All(Enum.GetValues<Model.ChangeKind>(), k => Assert.Equal(TimeSpan.FromSeconds(3), _emulator.Tenant.PropagationDelays[k]));

        result = _session.Run("Set-EmuPropagationDelay -Realistic; Set-EmuSmtpSetting -Default; Set-EmuManagedIdentity nobody -GrantRole SMTP.SendAsApp");
        Assert.Equal("ManagedIdentityNotFound,OAuthSmtp.Emulator.PowerShell.Control.SetEmuManagedIdentityCommand", result.AllErrors.Single().FullyQualifiedErrorId);
        Assert.Equal(TimeSpan.FromMinutes(30), _emulator.Tenant.PropagationDelays[Model.ChangeKind.MailboxPermission]);
        Assert.Equal(OAuthSmtp.Emulator.Smtp.SendAsDeniedReplyForm.Current, settings.SendAsDeniedReply);
    }

    [Fact]
    public void Without_an_emulator_the_cmdlets_fail_with_EmulatorNotAttached()
    {
        var options = new PowerShellSessionOptions();
        options.Modules.Add(EmulatorModules.ControlModulePath);
        using var bare = new PowerShellSession(options);
        var result = bare.Run("Get-EmuTenant");
        var error = result.AllErrors.Single();
        Assert.Equal("EmulatorNotAttached,OAuthSmtp.Emulator.PowerShell.Control.GetEmuTenantCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
    }
}
