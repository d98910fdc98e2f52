using System.Text;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// Quotes one argument so that a Windows program (CommandLineToArgvW, the C runtime) reads it back unchanged:
/// quotes around text with spaces, tabs or quotes; a quote escaped with a backslash; backslashes doubled only where
/// they precede a quote. sc.exe's binPath= value is itself a command line, so it is quoted twice.
/// </summary>
public static class WindowsCommandLine
{
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
        {
            return argument;
        }

        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (c == '"')
            {
                quoted.Append('\\', (backslashes * 2) + 1);
            }
            else
            {
                quoted.Append('\\', backslashes);
            }

            backslashes = 0;
            quoted.Append(c);
        }

        quoted.Append('\\', backslashes * 2);
        quoted.Append('"');
        return quoted.ToString();
    }
}
