using System;
using System.Linq;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Exchange;

public sealed class ConnectionTests : IClassFixture<ExchangeAdminSession>
{
    private const string NotConnected = "You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.";
    private readonly ExchangeAdminSession _session;

    public ConnectionTests(ExchangeAdminSession session)
    {
        _session = session;
        _session.Reset(connect: false);
    }

    [Theory]
    [InlineData("Get-Mailbox")]
    [InlineData("Get-EXOMailbox alerts@contoso.com")]
    [InlineData("Get-CASMailbox")]
    [InlineData("Get-EXOCasMailbox")]
    [InlineData("Set-CASMailbox alerts@contoso.com -SmtpClientAuthenticationDisabled $false")]
    [InlineData("New-ServicePrincipal -AppId x -ObjectId y")]
    [InlineData("Get-ServicePrincipal")]
    [InlineData("Set-ServicePrincipal x -DisplayName y")]
    [InlineData("Remove-ServicePrincipal x -Confirm:$false")]
    [InlineData("Add-MailboxPermission alerts@contoso.com -User x -AccessRights FullAccess")]
    [InlineData("Get-MailboxPermission alerts@contoso.com")]
    [InlineData("Remove-MailboxPermission alerts@contoso.com -User x -AccessRights FullAccess -Confirm:$false")]
    [InlineData("Add-RecipientPermission alerts@contoso.com -Trustee x -AccessRights SendAs -Confirm:$false")]
    [InlineData("Get-RecipientPermission")]
    [InlineData("Remove-RecipientPermission alerts@contoso.com -Trustee x -AccessRights SendAs -Confirm:$false")]
    [InlineData("Get-TransportConfig")]
    [InlineData("Set-TransportConfig -SmtpClientAuthenticationDisabled $false")]
    [InlineData("Get-AuthenticationPolicy")]
    [InlineData("New-AuthenticationPolicy p")]
    [InlineData("Set-AuthenticationPolicy p -AllowBasicAuthSmtp")]
    [InlineData("Get-OrganizationConfig")]
    [InlineData("New-ManagementScope s -RecipientRestrictionFilter ''")]
    [InlineData("New-ManagementRoleAssignment -Role 'Application SMTP.SendAsApp' -App x")]
    [InlineData("Get-ManagementRoleAssignment")]
    [InlineData("Test-ServicePrincipalAuthorization x")]
    public void EveryAdminCmdletRefusesToRunBeforeConnectExchangeOnline(string command)
    {
        var result = _session.RunExpectingError(command);

        var error = result.AllErrors.First();
        Assert.Equal(NotConnected, error.Exception.Message);
        Assert.StartsWith("NotConnected,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
    }

    [Fact]
    public void TheNotConnectedTestCoversEveryExportedCmdletButTheConnectionOnes()
    {
        var exported = _session.Run("(Get-Command -Module OAuthSmtp.Emulator.Exchange).Name").Output.Select(o => o.ToString()).ToList();
        var covered = typeof(ConnectionTests).GetMethod(nameof(EveryAdminCmdletRefusesToRunBeforeConnectExchangeOnline))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => a.GetData(null!).First()[0]!.ToString()!.Split(' ')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var uncovered = exported.Where(name => !covered.Contains(name)).OrderBy(n => n).ToList();

        Assert.Equal(new[] { "Connect-ExchangeOnline", "Disconnect-ExchangeOnline", "Get-ConnectionInformation" }, uncovered);
    }

    [Fact]
    public void GetConnectionInformationReturnsNothingBeforeConnectingAndTheConnectionAfterwards()
    {
        Assert.Empty(_session.Run("Get-ConnectionInformation").Output);

        _session.Run("Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com -ShowBanner:$false");
        var connection = Assert.Single(_session.Run("Get-ConnectionInformation").Output);

        Assert.Equal("Connected", ExchangeAdminSession.Property(connection, "State"));
        Assert.Equal("ExchangeOnline_1", ExchangeAdminSession.Property(connection, "Name"));
        Assert.Equal("admin@contoso.onmicrosoft.com", ExchangeAdminSession.Property(connection, "UserPrincipalName"));
        Assert.Equal(ExchangeAdminSession.TenantId, ExchangeAdminSession.Property(connection, "TenantID"));
        Assert.Equal("https://outlook.office365.com", ExchangeAdminSession.Property(connection, "ConnectionUri"));
        Assert.Equal("Active", ExchangeAdminSession.Property(connection, "TokenStatus"));
        Assert.Equal(false, ExchangeAdminSession.Property(connection, "IsEopSession"));
        Assert.Single(_session.Run("Get-OrganizationConfig").Output);
    }

    [Fact]
    public void DisconnectEndsTheConnectionAndCmdletsRefuseAgain()
    {
        _session.Run("Connect-ExchangeOnline -ShowBanner:$false");

        _session.Run("Disconnect-ExchangeOnline -Confirm:$false");

        Assert.Empty(_session.Run("Get-ConnectionInformation").Output);
        Assert.Equal(NotConnected, _session.RunExpectingError("Get-OrganizationConfig").AllErrors.First().Exception.Message);
    }

    [Fact]
    public void DisconnectWithWhatIfKeepsTheConnection()
    {
        _session.Run("Connect-ExchangeOnline -ShowBanner:$false");

        _session.Run("Disconnect-ExchangeOnline -WhatIf");

        Assert.Single(_session.Run("Get-ConnectionInformation").Output);
    }

    [Fact]
    public void AppOnlyConnectionRecordsTheAppAndOrganization()
    {
        _session.Run($"Connect-ExchangeOnline -AppId {ExchangeAdminSession.AppId} -CertificateThumbprint 83213AEAC56D61C97AEE5C1528F4AC5EBA7321C1 -Organization contoso.onmicrosoft.com -ShowBanner:$false");

        var connection = Assert.Single(_session.Run("Get-ConnectionInformation").Output);
        Assert.Equal(ExchangeAdminSession.AppId.ToString(), ExchangeAdminSession.Property(connection, "AppId"));
        Assert.Equal("contoso.onmicrosoft.com", ExchangeAdminSession.Property(connection, "Organization"));
        Assert.Equal(true, ExchangeAdminSession.Property(connection, "CertificateAuthentication"));
        Assert.Null(ExchangeAdminSession.Property(connection, "UserPrincipalName"));
    }

    [Fact]
    public void ConnectingToAnotherOrganizationFailsAsMsalWouldAndLeavesTheSessionDisconnected()
    {
        var result = _session.RunExpectingError($"Connect-ExchangeOnline -AppId {ExchangeAdminSession.AppId} -CertificateThumbprint AB -Organization fabrikam.onmicrosoft.com");

        Assert.StartsWith("AADSTS90002: Tenant 'fabrikam.onmicrosoft.com' not found.", result.AllErrors.First().Exception.Message);
        Assert.Empty(_session.Run("Get-ConnectionInformation").Output);
    }

    [Fact]
    public void AnAccessTokenGivenToConnectNeverAppearsInAnyStream()
    {
        const string token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtbGVhaw";

        var result = _session.Shell.Run($"Connect-ExchangeOnline -AccessToken '{token}' -Organization contoso.onmicrosoft.com -Verbose; Get-ConnectionInformation");

        Assert.Empty(result.AllErrors);
        Assert.DoesNotContain("c2lnbmF0dXJl", result.EverythingVisible());
        Assert.Contains("contoso.onmicrosoft.com", result.EverythingVisible());
    }

    [Fact]
    public void TheBannerIsShownUnlessShowBannerIsFalse()
    {
        var shown = _session.Run("Connect-ExchangeOnline");
        Assert.Contains(shown.Information, i => i.MessageData.ToString()!.Contains("contoso.onmicrosoft.com"));

        _session.Run("Disconnect-ExchangeOnline -Confirm:$false");
        var quiet = _session.Run("Connect-ExchangeOnline -ShowBanner:$false");
        Assert.Empty(quiet.Information);
    }
}
