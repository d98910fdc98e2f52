using System.Linq;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Get-AuthenticationPolicy: all policies, or the one named.</summary>
[Cmdlet(VerbsCommon.Get, "AuthenticationPolicy")]
[OutputType(typeof(Output.AuthenticationPolicy))]
public sealed class GetAuthenticationPolicyCommand : ExchangeCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string? Identity { get; set; }

    [Parameter]
    public SwitchParameter AllowLegacyExchangeTokens { get; set; }

    protected override void ProcessRecord()
    {
        if (!IsNullOrEmptyIdentity(Identity))
        {
            var policy = AuthenticationPolicies.Find(Tenant, Identity!);
            if (policy is null)
            {
                WriteError(ExchangeErrors.NotFound(Identity!));
                return;
            }

            WriteObject(AuthenticationPolicies.Show(Tenant, policy));
            return;
        }

        lock (Tenant.SyncRoot)
        {
            foreach (var policy in Tenant.AuthenticationPolicies.ToList())
            {
                WriteObject(AuthenticationPolicies.Show(Tenant, policy));
            }
        }
    }
}
