using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace OAuthSmtp.Hosting;

/// <summary>Keeps what the host shows; prompts fail at once unless the host was made interactive, so nothing hangs.</summary>
internal sealed class RecordingHostUserInterface : PSHostUserInterface
{
    private readonly StringBuilder _transcript = new();
    private readonly object _gate = new();
    private readonly System.IO.TextWriter? _echo;
    private static readonly Regex AnsiEscape = new("\u001b\\[[0-9;?]*[A-Za-z]", RegexOptions.Compiled);

    private readonly bool _interactive;
    private readonly bool _ansi;

    private readonly Func<string, string?>? _answerConfirmation;

    public RecordingHostUserInterface(System.IO.TextWriter? echo, bool interactive, bool ansi, Func<string, string?>? answerConfirmation = null)
    {
        _answerConfirmation = answerConfirmation;
        _echo = echo;
        _interactive = interactive;
        _ansi = ansi;
        RawUI = new FixedSizeRawUserInterface();
    }

    public string Transcript
    {
        get
        {
            lock (_gate)
            {
                return _transcript.ToString();
            }
        }
    }

    public override PSHostRawUserInterface RawUI { get; }

    public override bool SupportsVirtualTerminal => false;

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
        throw NotInteractive("prompt for input");

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        if (!_interactive)
        {
            throw NotInteractive("ask for confirmation");
        }

        Write($"{caption}{Environment.NewLine}{message}{Environment.NewLine}");
        var key = _answerConfirmation?.Invoke(message);
        if (key is null)
        {
            return defaultChoice;
        }

        for (var index = 0; index < choices.Count; index++)
        {
            if (choices[index].Label.Contains("&" + key, StringComparison.OrdinalIgnoreCase))
            {
                Write($"[{key}]{Environment.NewLine}");
                return index;
            }
        }

        throw new InvalidOperationException($"No choice with the hot key '{key}' in: {string.Join(", ", choices.Select(c => c.Label))}");
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw NotInteractive("prompt for a credential");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw NotInteractive("prompt for a credential");

    public override string ReadLine() => throw NotInteractive("read a line");

    public override SecureString ReadLineAsSecureString() => throw NotInteractive("read a secure string");

    public override void Write(string value) => Append(value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);

    public override void WriteLine(string value) => Append(value + Environment.NewLine);

    public override void WriteErrorLine(string value) => Append(value + Environment.NewLine);

    public override void WriteDebugLine(string message) => Append("DEBUG: " + message + Environment.NewLine);

    public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + Environment.NewLine);

    public override void WriteWarningLine(string message) => Append("WARNING: " + message + Environment.NewLine);

    public override void WriteInformation(InformationRecord record) => Append(record.MessageData + Environment.NewLine);

    /// <summary>
    /// The transcript keeps every progress record. A terminal shows it as pwsh does, one line redrawn in place and
    /// cleared when done; redirected output leaves it out, as pwsh's transcript does.
    /// </summary>
    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        lock (_gate)
        {
            if (record.RecordType == ProgressRecordType.Completed)
            {
                if (_ansi)
                {
                    _echo?.Write("\r\u001b[2K");
                }

                return;
            }

            var percent = record.PercentComplete >= 0 ? $" {record.PercentComplete}%" : string.Empty;
            var line = $"[{record.Activity}] {record.StatusDescription}{percent}";
            _transcript.Append(line).Append(Environment.NewLine);
            if (_ansi)
            {
                _echo?.Write("\r\u001b[2K" + (line.Length > RawUI.BufferSize.Width - 1 ? line.Substring(0, RawUI.BufferSize.Width - 1) : line));
            }
        }
    }

    private void Append(string value)
    {
        // Views colour their headers whatever $PSStyle.OutputRendering says; a plain host shows plain text.
        if (!_ansi)
        {
            value = AnsiEscape.Replace(value, string.Empty);
        }

        lock (_gate)
        {
            _transcript.Append(value);
            _echo?.Write(value);
        }
    }

    private static PSInvalidOperationException NotInteractive(string what) =>
        new($"This host is not interactive and cannot {what}. Pass the value as a parameter (for -Confirm prompts: -Confirm:$false).");
}
