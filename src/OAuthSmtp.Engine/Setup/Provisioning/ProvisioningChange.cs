using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// One change of one step, as ShouldProcess shows it (-WhatIf, -Confirm): the target, the action in words, and every
/// Graph call ("POST /v1.0/applications") and Exchange command (a command line to paste) it makes.
/// </summary>
public sealed class ProvisioningChange
{
    public ProvisioningChange(string step, string target, string action, IReadOnlyList<string> calls)
    {
        Step = step;
        Target = target;
        Action = action;
        Calls = calls ?? Array.Empty<string>();
    }

    /// <summary>The step's name (Application, Permission, …).</summary>
    public string Step { get; }

    public string Target { get; }

    public string Action { get; }

    public IReadOnlyList<string> Calls { get; }

    public override string ToString() => $"{Action}: {string.Join("; ", Calls)}";
}
