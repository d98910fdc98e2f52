using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>One step of Initialize-SmtpOAuthSetup: what it found or did, and the calls it made (or would make).</summary>
public sealed class ProvisioningStepResult
{
    public ProvisioningStepResult(string step, ProvisioningStepStatus status, string detail, IReadOnlyList<string>? calls = null)
    {
        Step = step;
        Status = status;
        Detail = detail;
        Calls = calls ?? Array.Empty<string>();
    }

    public string Step { get; }

    public ProvisioningStepStatus Status { get; }

    public string Detail { get; }

    /// <summary>The Graph calls and Exchange commands this step made or, with -WhatIf, would make.</summary>
    public IReadOnlyList<string> Calls { get; }

    public override string ToString() => $"{Step}: {Status}: {Detail}";
}
