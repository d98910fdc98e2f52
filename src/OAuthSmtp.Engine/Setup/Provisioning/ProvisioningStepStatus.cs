namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>What happened to one step of Initialize-SmtpOAuthSetup.</summary>
public enum ProvisioningStepStatus
{
    /// <summary>Already as wanted; nothing was changed.</summary>
    Unchanged,

    /// <summary>Changed now.</summary>
    Changed,

    /// <summary>-WhatIf: would be changed.</summary>
    WouldChange,

    /// <summary>The admin said no (-Confirm); what needs it was not done either.</summary>
    Declined,

    /// <summary>Not needed for this route or credential, or not reached.</summary>
    Skipped,

    /// <summary>Tried and failed; the run stopped here.</summary>
    Failed,
}
