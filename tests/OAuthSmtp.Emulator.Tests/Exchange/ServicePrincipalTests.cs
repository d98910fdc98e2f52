using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Exchange;

public sealed class ServicePrincipalTests : IClassFixture<ExchangeAdminSession>
{
    private readonly ExchangeAdminSession _session;

    public ServicePrincipalTests(ExchangeAdminSession session)
    {
        _session = session;
        _session.Reset();
    }

    private static string NotFound(string id) =>
        $"The operation couldn't be performed because object '{id}' couldn't be found on 'BN8PR01A001DC01.NAMPR01A001.PROD.OUTLOOK.COM'.";

    [Fact]
    public void NewServicePrincipalReturnsTheObjectWithTheRealPropertyNames()
    {
        var output = Assert.Single(_session.Run(
            $"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {ExchangeAdminSession.EnterpriseAppObjectId} -DisplayName 'OAuthSmtp Mailer'").Output);

        var objectId = ExchangeAdminSession.EnterpriseAppObjectId.ToString();
        Assert.Equal(objectId, ExchangeAdminSession.Property(output, "Identity"));
        Assert.Equal(objectId, ExchangeAdminSession.Property(output, "ObjectId"));
        Assert.Equal(objectId, ExchangeAdminSession.Property(output, "ServiceId"));
        Assert.Equal(ExchangeAdminSession.AppId.ToString(), ExchangeAdminSession.Property(output, "AppId"));
        Assert.Equal("OAuthSmtp Mailer", ExchangeAdminSession.Property(output, "DisplayName"));
        Assert.Equal("User", ExchangeAdminSession.Property(output, "RecipientType"));
        Assert.Equal("ServicePrinciple", ExchangeAdminSession.Property(output, "RecipientTypeDetails"));
        Assert.Equal("contoso.onmicrosoft.com", ExchangeAdminSession.Property(output, "Organization"));
        Assert.StartsWith($"CN={objectId},OU=contoso.onmicrosoft.com,", (string)ExchangeAdminSession.Property(output, "DistinguishedName")!);
        Assert.IsType<Guid>(ExchangeAdminSession.Property(output, "Guid"));
        Assert.NotNull(ExchangeAdminSession.Property(output, "Name"));

        var stored = Assert.Single(_session.Tenant.ExchangeServicePrincipals);
        Assert.Equal(objectId, stored.ObjectId);
    }

    [Fact]
    public void TheAppRegistrationsObjectIdIsAcceptedUnvalidatedAsTheRealServiceDoes()
    {
        _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {ExchangeAdminSession.AppObjectId} -DisplayName wrong");

        var stored = Assert.Single(_session.Tenant.ExchangeServicePrincipals);
        Assert.Equal(ExchangeAdminSession.AppObjectId.ToString(), stored.ObjectId);
        Assert.Null(TenantQueries.FindServicePrincipalByObjectId(_session.Tenant, ExchangeAdminSession.EnterpriseAppObjectId.ToString(), effectiveOnly: true));
    }

    [Fact]
    public void IdsThatAreNotEvenGuidsAreAccepted()
    {
        _session.Run("New-ServicePrincipal -AppId not-a-guid -ObjectId 'also not a guid'");

        Assert.Equal("also not a guid", Assert.Single(_session.Tenant.ExchangeServicePrincipals).ObjectId);
    }

    [Fact]
    public void ServiceIdIsAnAliasOfObjectId()
    {
        _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ServiceId {ExchangeAdminSession.EnterpriseAppObjectId}");

        Assert.Equal(ExchangeAdminSession.EnterpriseAppObjectId.ToString(), Assert.Single(_session.Tenant.ExchangeServicePrincipals).ObjectId);
    }

    [Fact]
    public void CreationIsStampedWithThePropagationDelay()
    {
        _session.Tenant.PropagationDelays[ChangeKind.ServicePrincipal] = TimeSpan.FromMinutes(10);

        _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {ExchangeAdminSession.EnterpriseAppObjectId}");

        var id = ExchangeAdminSession.EnterpriseAppObjectId.ToString();
        Assert.Null(TenantQueries.FindServicePrincipalByObjectId(_session.Tenant, id, effectiveOnly: true));
        Assert.Single(_session.Run($"Get-ServicePrincipal {id}").Output);
        _session.Emulator.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.NotNull(TenantQueries.FindServicePrincipalByObjectId(_session.Tenant, id, effectiveOnly: true));
    }

    [Fact]
    public void ASecondPointerForTheSameAppIsRefused()
    {
        _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {ExchangeAdminSession.AppObjectId}");

        var result = _session.RunExpectingError($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {ExchangeAdminSession.EnterpriseAppObjectId}");

        Assert.Equal(ErrorCategory.ResourceExists, result.AllErrors.First().CategoryInfo.Category);
        Assert.Contains("Remove-ServicePrincipal", result.AllErrors.First().Exception.Message);
        Assert.Single(_session.Tenant.ExchangeServicePrincipals);
    }

    [Theory]
    [InlineData("objectid")]
    [InlineData("appid")]
    [InlineData("displayname")]
    public void GetServicePrincipalFindsOneByAnyIdentityForm(string form)
    {
        _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {ExchangeAdminSession.EnterpriseAppObjectId} -DisplayName Mailer");
        _session.Run($"New-ServicePrincipal -AppId {Guid.NewGuid()} -ObjectId {Guid.NewGuid()} -DisplayName Other");
        var identity = form switch
        {
            "objectid" => ExchangeAdminSession.EnterpriseAppObjectId.ToString(),
            "appid" => ExchangeAdminSession.AppId.ToString(),
            _ => "Mailer",
        };

        var found = Assert.Single(_session.Run($"Get-ServicePrincipal -Identity '{identity}'").Output);

        Assert.Equal("Mailer", ExchangeAdminSession.Property(found, "DisplayName"));
    }

    [Theory]
    [InlineData("Get-ServicePrincipal -Identity $null")]
    [InlineData("Get-ServicePrincipal -Identity 'no-such-principal'")]
    [InlineData("Get-ServicePrincipal")]
    public void NullOrUnknownIdentityReturnsEveryServicePrincipalAsDocumented(string command)
    {
        _session.Run($"New-ServicePrincipal -AppId {Guid.NewGuid()} -ObjectId {Guid.NewGuid()} -DisplayName One");
        _session.Run($"New-ServicePrincipal -AppId {Guid.NewGuid()} -ObjectId {Guid.NewGuid()} -DisplayName Two");

        var result = _session.Run(command);

        Assert.Equal(2, result.Output.Count);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void SetServicePrincipalChangesOnlyTheDisplayName()
    {
        _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {ExchangeAdminSession.EnterpriseAppObjectId} -DisplayName Old");

        _session.Run($"Set-ServicePrincipal -Identity {ExchangeAdminSession.EnterpriseAppObjectId} -DisplayName New");

        var stored = Assert.Single(_session.Tenant.ExchangeServicePrincipals);
        Assert.Equal("New", stored.DisplayName);
        Assert.Equal(ExchangeAdminSession.EnterpriseAppObjectId.ToString(), stored.ObjectId);
        var set = _session.Run("(Get-Command Set-ServicePrincipal).Parameters.Keys").Output.Select(o => o.ToString()).ToList();
        Assert.DoesNotContain("AppId", set);
        Assert.DoesNotContain("ObjectId", set);
    }

    [Fact]
    public void RemoveWithWhatIfChangesNothingAndRemoveDeletes()
    {
        _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {ExchangeAdminSession.EnterpriseAppObjectId}");

        _session.Run($"Remove-ServicePrincipal {ExchangeAdminSession.EnterpriseAppObjectId} -WhatIf");
        Assert.Single(_session.Tenant.ExchangeServicePrincipals);

        _session.Run($"Get-ServicePrincipal {ExchangeAdminSession.EnterpriseAppObjectId} | Remove-ServicePrincipal -Confirm:$false");
        Assert.Empty(_session.Tenant.ExchangeServicePrincipals);
    }

    [Fact]
    public void NewWithWhatIfCreatesNothing()
    {
        var result = _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {ExchangeAdminSession.EnterpriseAppObjectId} -WhatIf");

        Assert.Empty(result.Output);
        Assert.Empty(_session.Tenant.ExchangeServicePrincipals);
    }

    [Theory]
    [InlineData("Remove-ServicePrincipal -Identity 'ghost' -Confirm:$false")]
    [InlineData("Set-ServicePrincipal -Identity 'ghost' -DisplayName x")]
    [InlineData("Test-ServicePrincipalAuthorization -Identity 'ghost'")]
    public void UnknownServicePrincipalGetsExchangesNotFoundError(string command)
    {
        var error = _session.RunExpectingError(command).AllErrors.First();

        Assert.Equal(NotFound("ghost"), error.Exception.Message);
        Assert.Equal("ManagementObjectNotFoundException", error.Exception.GetType().Name);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("ManagementObjectNotFound,", error.FullyQualifiedErrorId);
    }
}
