using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>New-AuthenticationPolicy: a new policy blocks Basic for every protocol unless a switch such as -AllowBasicAuthSmtp allows it.</summary>
[Cmdlet(VerbsCommon.New, "AuthenticationPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Output.AuthenticationPolicy))]
public sealed class NewAuthenticationPolicyCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    public SwitchParameter AllowBasicAuthSmtp { get; set; }

    protected override void EndProcessing()
    {
        if (AuthenticationPolicies.Find(Tenant, Name) is not null)
        {
            WriteError(ExchangeErrors.AlreadyExists(
                "AuthenticationPolicyAlreadyExists",
                $"The authentication policy '{Name}' already exists. Use Set-AuthenticationPolicy to change it, or choose another name.",
                Name));
            return;
        }

        if (!ShouldProcess(Name, "New-AuthenticationPolicy")) return;
        var policy = new AuthenticationPolicy { Name = Name.Trim(), AllowBasicAuthSmtp = AllowBasicAuthSmtp.IsPresent };
        lock (Tenant.SyncRoot)
        {
            Tenant.AuthenticationPolicies.Add(policy);
        }

        WriteObject(AuthenticationPolicies.Show(Tenant, policy));
    }
}
