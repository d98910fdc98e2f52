using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>Portal-side changes to the scenario's app registration and enterprise app.</summary>
[Cmdlet(VerbsCommon.Set, "EmuApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetEmuApplicationCommand : PSCmdlet
{
    /// <summary>Every client secret ends yesterday (AADSTS7000222).</summary>
    [Parameter]
    public SwitchParameter SecretExpired { get; set; }

    /// <summary>Grant admin consent for SMTP.SendAsApp (and delegated SMTP.Send).</summary>
    [Parameter]
    public SwitchParameter GrantConsent { get; set; }

    [Parameter]
    public SwitchParameter RevokeConsent { get; set; }

    /// <summary>Enterprise app sign-in disabled (AADSTS7000112); -Disabled:$false enables it again.</summary>
    [Parameter]
    public SwitchParameter Disabled { get; set; }

    /// <summary>Delete the app registration and enterprise app (AADSTS700016).</summary>
    [Parameter]
    public SwitchParameter Remove { get; set; }

    /// <summary>The permission mix-up: Microsoft Graph Mail.Send (requested and consented) instead of Exchange SMTP.SendAsApp.</summary>
    [Parameter]
    public SwitchParameter GraphMailSendOnly { get; set; }

    /// <summary>Delete only the enterprise application (service principal) with its consents; the app registration stays (AADSTS700016).</summary>
    [Parameter]
    public SwitchParameter RemoveEnterpriseApplication { get; set; }

    /// <summary>Upload a certificate (its public part) as a credential.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public X509Certificate2? AddCertificate { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        var target = $"application {emulator.Current.ClientId}";
        if (emulator.Current.ClientId is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("The current scenario has no app registration. Run Reset-EmuTenant -Scenario Ready or Fresh first."),
                "NoApplication", ErrorCategory.ObjectNotFound, null));
        }

        try
        {
            if (AddCertificate is not null && ShouldProcess(target, $"Upload certificate {AddCertificate.Thumbprint}"))
            {
                emulator.Control.AddCertificate(AddCertificate);
            }

            if (SecretExpired && ShouldProcess(target, "Expire the client secrets"))
            {
                emulator.Control.ExpireSecrets();
            }

            if (GrantConsent && ShouldProcess(target, "Grant admin consent"))
            {
                emulator.Control.GrantConsent();
            }

            if (RevokeConsent && ShouldProcess(target, "Revoke admin consent"))
            {
                emulator.Control.RevokeConsent();
            }

            if (GraphMailSendOnly && ShouldProcess(target, "Replace SMTP.SendAsApp by Microsoft Graph Mail.Send (requested and consented)"))
            {
                emulator.Control.UseGraphMailSendInsteadOfSmtp();
            }

            if (RemoveEnterpriseApplication && ShouldProcess(target, "Delete the enterprise application (the app registration stays)"))
            {
                emulator.Control.RemoveEnterpriseApplication();
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(Disabled)) && ShouldProcess(target, Disabled ? "Disable sign-in" : "Enable sign-in"))
            {
                emulator.Control.SetApplicationEnabled(!Disabled);
            }

            if (Remove && ShouldProcess(target, "Delete the app registration and enterprise app"))
            {
                emulator.Control.RemoveApplication();
            }
        }
        catch (InvalidOperationException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ApplicationRemoved", ErrorCategory.ObjectNotFound, emulator.Current.ClientId));
        }
    }
}
