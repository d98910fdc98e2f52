using System.Management.Automation;

namespace OAuthSmtp.PowerShell.Hosting;

/// <summary>Whether a command (Get-Secret, Set-Secret, Invoke-MgGraphRequest, an Exchange cmdlet) is there to call in the caller's session.</summary>
internal static class CommandLookup
{
    /// <summary>True when <paramref name="name"/> resolves to a cmdlet, function or alias, as calling it by name would.</summary>
    public static bool HasCommand(this PSCmdlet cmdlet, string name) =>
        cmdlet.InvokeCommand.GetCommand(name, CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias) is not null;
}
