namespace OAuthSmtp.Engine.Setup;

/// <summary>Which check is running, for progress bars.</summary>
public sealed class SetupProgress
{
    public SetupProgress(SetupStep step, int index, int total, string activity)
    {
        Step = step;
        Index = index;
        Total = total;
        Activity = activity;
    }

    public SetupStep Step { get; }

    /// <summary>0-based index of the check.</summary>
    public int Index { get; }

    public int Total { get; }

    /// <summary>What is being done, in words ("Asking Entra ID for a token").</summary>
    public string Activity { get; }

    public int PercentComplete => Total == 0 ? 100 : Index * 100 / Total;
}
