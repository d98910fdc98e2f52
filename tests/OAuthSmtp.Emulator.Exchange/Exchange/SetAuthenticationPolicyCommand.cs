using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Set-AuthenticationPolicy -AllowBasicAuthSmtp (allow) or -AllowBasicAuthSmtp:$false (block). Affects Basic only, never OAuth.</summary>
[Cmdlet(VerbsCommon.Set, "AuthenticationPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class SetAuthenticationPolicyCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    [Parameter]
    public SwitchParameter AllowBasicAuthSmtp { get; set; }

    protected override void ProcessRecord()
    {
        var policy = AuthenticationPolicies.Find(Tenant, Identity);
        if (policy is null)
        {
            WriteError(ExchangeErrors.NotFound(Identity));
            return;
        }

        if (!MyInvocation.BoundParameters.ContainsKey(nameof(AllowBasicAuthSmtp))) return;
        if (!ShouldProcess(policy.Name, $"Set AllowBasicAuthSmtp to {AllowBasicAuthSmtp.IsPresent}")) return;
        lock (Tenant.SyncRoot)
        {
            policy.AllowBasicAuthSmtp = AllowBasicAuthSmtp.IsPresent;
        }
    }
}
