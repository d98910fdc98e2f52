using System;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// Where the provisioner reports to and asks: the cmdlet turns each call into a progress record, a ShouldProcess
/// prompt, or a verbose/information/warning line, on its pipeline thread. Delegates rather than an interface (the
/// cmdlet assembly implements no engine interface). Each one left unset does nothing; an unset ShouldProcess approves.
/// </summary>
public sealed class ProvisioningHost
{
    /// <summary>status, percent complete, current operation, seconds remaining (-1: unknown).</summary>
    public Action<string, int, string?, int> Progress { get; set; } = (_, _, _, _) => { };

    /// <summary>Asks whether to make one change (-Confirm), or says -WhatIf.</summary>
    public Func<ProvisioningChange, SetupFixConsent> ShouldProcess { get; set; } = _ => SetupFixConsent.Approved;

    public Action<string> Verbose { get; set; } = _ => { };

    /// <summary>A line the admin sees, as Write-Host would show it.</summary>
    public Action<string> Information { get; set; } = _ => { };

    public Action<string> Warning { get; set; } = _ => { };

    /// <summary>A non-terminating error (the verification step), with its target.</summary>
    public Action<OAuthSmtpException, string> Error { get; set; } = (_, _) => { };
}
