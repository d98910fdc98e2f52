namespace OAuthSmtp.Engine.Setup;

/// <summary>The admin's answer to "run this fix?" (the cmdlet's ShouldProcess).</summary>
public enum SetupFixConsent
{
    /// <summary>Run it.</summary>
    Approved,

    /// <summary>Do not run it; what depends on it is not run (nor asked about) either.</summary>
    Declined,

    /// <summary>-WhatIf: show it and every change that would follow, run nothing.</summary>
    WhatIf,
}
