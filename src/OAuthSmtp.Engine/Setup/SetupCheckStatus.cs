namespace OAuthSmtp.Engine.Setup;

/// <summary>The outcome of one setup check.</summary>
public enum SetupCheckStatus
{
    /// <summary>The step is done right.</summary>
    Pass,

    /// <summary>The step is wrong: Cause says why, Fix what to run.</summary>
    Fail,

    /// <summary>It works today, but something needs attention (an expiring secret, an unusual setting).</summary>
    Warning,

    /// <summary>Not checked: an earlier step failed, it was not asked for, or the data is out of reach (Detail says which).</summary>
    Skipped,
}
