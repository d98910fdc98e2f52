namespace OAuthSmtp.PowerShell.Sending;

/// <summary>
/// What the path transformations return for a pipeline object that is not a path (an Import-Csv row, a hashtable).
/// It is deliberately not a string: in PowerShell's first binding pass (by value, no type conversion) an array
/// holding it does not bind, so the row's own columns (To, Attachments, ...) get their turn by property name; only in
/// the later pass with conversion does it bind, as <see cref="Text"/>, which the cmdlet drops.
/// </summary>
internal sealed class NotAPath
{
    /// <summary>No file can have this name (it starts with NUL).</summary>
    public const string Text = "\0OAuthSmtp:pipeline-object-is-not-a-path";

    public static readonly NotAPath Instance = new();

    private NotAPath()
    {
    }

    public static object[] For() => new object[] { Instance };

    public override string ToString() => Text;
}
