using System;
using System.Globalization;
using System.Management.Automation.Host;

namespace OAuthSmtp.Hosting;

/// <summary>
/// A real PSHost, so Out-Default renders format views as pwsh would. Everything written to it is kept
/// (tests search it for secrets) and, for the sandbox, echoed to a writer.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingHostUserInterface _ui;

    public RecordingHost(System.IO.TextWriter? echo = null, bool interactive = false, bool ansi = false, string name = "OAuthSmtpHost", Func<string, string?>? answerConfirmation = null)
    {
        _ui = new RecordingHostUserInterface(echo, interactive, ansi, answerConfirmation);
        Name = name;
    }

    public string Transcript => _ui.Transcript;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    /// <summary>"OAuthSmtpHost", or "ConsoleHost" where a test plays pwsh's own console host.</summary>
    public override string Name { get; }

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    public int? ExitCode { get; private set; }

    public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by this host.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported by this host.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
}
