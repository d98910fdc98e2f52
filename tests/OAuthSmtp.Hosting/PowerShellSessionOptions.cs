using System;
using System.Collections.Generic;
using System.IO;

namespace OAuthSmtp.Hosting;

public sealed class PowerShellSessionOptions
{
    /// <summary>Module paths imported in order (manifests or folders).</summary>
    public List<string> Modules { get; } = new();

    /// <summary>Session variables set before anything runs (the emulator hands itself to its cmdlets this way).</summary>
    public Dictionary<string, object?> Variables { get; } = new();

    /// <summary>Where the host echoes what it shows (the sandbox's console); null keeps it only in the transcript.</summary>
    public TextWriter? Echo { get; set; }

    /// <summary>Whether views may colour their output with ANSI escapes (a real terminal); plain text otherwise.</summary>
    public bool AnsiRendering { get; set; }

    /// <summary>Whether -Confirm prompts are answered (with their default) instead of failing.</summary>
    public bool Interactive { get; set; }

    /// <summary>
    /// When <see cref="Interactive"/>: answers a confirmation prompt (given its message) with the hot key of a choice
    /// ("Y", "N", "A", "L"), as an admin typing at the prompt would; null (or no function) takes the default choice.
    /// </summary>
    public Func<string, string?>? AnswerConfirmation { get; set; }

    /// <summary>$Host.Name; "ConsoleHost" plays pwsh's own host (whose output only its terminal shows).</summary>
    public string HostName { get; set; } = "OAuthSmtpHost";

    public static PowerShellSessionOptions WithOAuthSmtp()
    {
        var options = new PowerShellSessionOptions();
        options.Modules.Add(Path.Combine(PowerShellSession.ModuleFolder, "OAuthSmtp.psd1"));
        return options;
    }
}
