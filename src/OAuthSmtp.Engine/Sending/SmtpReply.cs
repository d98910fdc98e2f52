using System;
using System.Text.RegularExpressions;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// One server reply as the translator sees it: the basic code, the enhanced status code when the text starts with one
/// (RFC 3463, "5.7.3"), and the text after the code. Built from MailKit's typed exceptions or from a recorded transcript.
/// </summary>
public sealed class SmtpReply
{
    private static readonly Regex EnhancedCodePattern = new(@"^\s*(?<code>[245]\.\d{1,3}\.\d{1,3})\b", RegexOptions.CultureInvariant);

    public SmtpReply(int code, string text, SmtpStage stage)
    {
        Code = code;
        Text = (text ?? string.Empty).Trim();
        Stage = stage;
        var match = EnhancedCodePattern.Match(Text);
        EnhancedCode = match.Success ? match.Groups["code"].Value : null;
    }

    /// <summary>The three-digit reply code (535, 432, ...).</summary>
    public int Code { get; }

    /// <summary>"5.7.3", "4.3.2", or null when the text carries none.</summary>
    public string? EnhancedCode { get; }

    /// <summary>The reply text after the code, as the server sent it (including the enhanced code).</summary>
    public string Text { get; }

    public SmtpStage Stage { get; }

    /// <summary>4xx: the server asks the client to try again later.</summary>
    public bool IsTransient => Code >= 400 && Code < 500;

    /// <summary>Parses one reply line as it appears on the wire or in a transcript ("535 5.7.3 Authentication unsuccessful").</summary>
    public static SmtpReply Parse(string line, SmtpStage stage)
    {
        if (line is null)
        {
            throw new ArgumentNullException(nameof(line));
        }

        var trimmed = line.Trim();
        if (trimmed.Length < 3 || !int.TryParse(trimmed.Substring(0, 3), out var code))
        {
            throw new FormatException($"Not an SMTP reply: '{trimmed}'.");
        }

        var text = trimmed.Length > 4 ? trimmed.Substring(4) : string.Empty;
        return new SmtpReply(code, text, stage);
    }

    public override string ToString() => $"{Code} {Text}";
}
