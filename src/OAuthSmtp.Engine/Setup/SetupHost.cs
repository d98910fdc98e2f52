using System;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// Where <see cref="SetupWorkflow"/> reports to and asks: the cmdlet turns each call into a progress record, a
/// ShouldProcess prompt, a verbose/information/warning line or an error record, on its pipeline thread.
/// Delegates rather than an interface: the cmdlet assembly never implements an engine interface (its types load before
/// the engine's load context is registered). Each one left unset does nothing; an unset ShouldProcess approves.
/// </summary>
public sealed class SetupHost
{
    /// <summary>status, percent complete, current operation, seconds remaining (-1: unknown).</summary>
    public Action<string, int, string?, int> Progress { get; set; } = (_, _, _, _) => { };

    /// <summary>Asks whether to run one fix (-Confirm, -WhatIf).</summary>
    public Func<SetupFixAction, SetupFixConsent> ShouldProcess { get; set; } = _ => SetupFixConsent.Approved;

    public Action<string> Verbose { get; set; } = _ => { };

    /// <summary>A line the admin sees, as Write-Host would show it.</summary>
    public Action<string> Information { get; set; } = _ => { };

    public Action<string> Warning { get; set; } = _ => { };

    /// <summary>A non-terminating error about a target (the profile name, or what a fix changes).</summary>
    public Action<OAuthSmtpException, string> Error { get; set; } = (_, _) => { };
}
