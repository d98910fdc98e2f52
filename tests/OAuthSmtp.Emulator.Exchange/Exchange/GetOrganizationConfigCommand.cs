using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Get-OrganizationConfig: the organisation's name and its DefaultAuthenticationPolicy ($null = none).</summary>
[Cmdlet(VerbsCommon.Get, "OrganizationConfig")]
[OutputType(typeof(Output.OrganizationConfig))]
public sealed class GetOrganizationConfigCommand : ExchangeCmdlet
{
    [Parameter(Position = 0)]
    public string? Identity { get; set; }

    protected override void EndProcessing()
    {
        Output.OrganizationConfig config;
        lock (Tenant.SyncRoot)
        {
            var tenant = Tenant.Tenant;
            config = new Output.OrganizationConfig
            {
                Identity = tenant.InitialDomain,
                Name = tenant.InitialDomain,
                DisplayName = tenant.DisplayName,
                Guid = tenant.TenantId,
                DefaultAuthenticationPolicy = Tenant.DefaultAuthenticationPolicy,
            };
        }

        WriteObject(config);
    }
}
