using System;
using System.Collections.Generic;
using System.Text;

namespace OAuthSmtp.Sandbox;

/// <summary>The PowerShell the sandbox runs: session preparation and the demonstration.</summary>
internal static class SandboxScripts
{
    /// <summary>Connects the admin session (as Connect-ExchangeOnline would) and creates the 'Sandbox' profile.</summary>
    public static string Prepare(bool verbose) => (verbose ? "$VerbosePreference = 'Continue'\n" : string.Empty) + """
        function global:Show-Step([string] $Text) { Write-Host ''; Write-Host "== $Text ==" }
        $global:EmuTenant = Get-EmuTenant
        Connect-ExchangeOnline -UserPrincipalName ('admin@' + $EmuTenant.Domain) -ShowBanner:$false
        $secret = [System.Net.NetworkCredential]::new('', $EmuTenant.ClientSecret).SecurePassword
        $null = New-SmtpOAuthProfile -Name Sandbox -TenantId $EmuTenant.TenantId -ClientId $EmuTenant.ClientId -ClientSecret $secret `
            -Mailbox $EmuTenant.Mailbox -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort `
            -AllowUnprotectedSecret -Force -Confirm:$false
        """;

    /// <summary>The admin's story on a tenant where only the Entra portal steps were done: diagnose, fix, re-test, send.</summary>
    public const string Demonstration = """
        Show-Step 'An emulated tenant where only the Entra portal steps were done (scenario Fresh)'
        Get-EmuTenant
        # The emulator's Graph lives on its own address; in a real tenant the profile's cloud says where Graph is.
        $env:OAUTHSMTP_GRAPH_ENDPOINT = $EmuTenant.GraphEndpoint
        Show-Step 'The connection profile for it'
        Get-SmtpOAuthProfile -Name Sandbox
        Show-Step 'Test-SmtpOAuthSetup: which step is wrong?'
        Test-SmtpOAuthSetup -Profile Sandbox
        Show-Step 'Why, and the exact commands that fix it'
        Test-SmtpOAuthSetup -Profile Sandbox | Where-Object { $_.Status -eq 'Fail' -or $_.FixActions.Count -gt 0 } | Format-List Step, Cause, Fix
        Show-Step 'Test-SmtpOAuthSetup -Fix -Confirm:$false -Wait: run those commands in the admin''s Exchange session, wait until Exchange applies them, check again'
        Test-SmtpOAuthSetup -Profile Sandbox -Fix -Confirm:$false -Wait -Timeout 30 -InformationAction Continue
        Show-Step 'Send-SmtpOAuthMessage now goes through'
        Send-SmtpOAuthMessage -Profile Sandbox -To ('someone@' + $EmuTenant.Domain) -Subject 'Hello from the sandbox' -Body 'Sent after Test-SmtpOAuthSetup -Fix.' -PassThru
        Show-Step 'What the emulated Exchange Online delivered'
        Get-EmuDeliveredMessage
        """;

    /// <summary>The demonstration cut into steps: each Show-Step line starts a new one.</summary>
    public static IEnumerable<string> DemonstrationSteps()
    {
        var step = new StringBuilder();
        foreach (var line in Demonstration.Split('\n'))
        {
            if (line.TrimStart().StartsWith("Show-Step", StringComparison.OrdinalIgnoreCase) && step.Length > 0)
            {
                yield return step.ToString();
                step.Clear();
            }

            step.Append(line).Append('\n');
        }

        if (step.ToString().Trim().Length > 0)
        {
            yield return step.ToString();
        }
    }
}
