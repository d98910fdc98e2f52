namespace OAuthSmtp.Engine.Profiles.ProductSettings;

/// <summary>
/// One value a product's configuration asks for, under the name its vendor guide gives it (<see cref="Name"/>), in
/// the place the guide puts it (<see cref="Section"/>). Get-SmtpOAuthSettings writes one per row.
/// </summary>
public sealed class ProductSetting
{
    public ProductSetting(SettingsProduct product, string profile, string section, string name, object? value, string? note, bool isSecret, string guide)
    {
        Product = product;
        Profile = profile;
        Section = section;
        Name = name;
        Value = value;
        Note = note;
        IsSecret = isSecret;
        Guide = guide;
    }

    public SettingsProduct Product { get; }

    public string Profile { get; }

    /// <summary>Where the value goes: a dialog, a configuration file, the Entra portal.</summary>
    public string Section { get; }

    /// <summary>The field or key name exactly as the vendor guide writes it.</summary>
    public string Name { get; }

    /// <summary>
    /// What to enter. For the client secret: a placeholder unless asked for (-IncludeSecret), then a SecureString,
    /// or a string only with -AsPlainText.
    /// </summary>
    public object? Value { get; }

    /// <summary>Why this value, or what to watch for (e.g. the secret's Value, not its Secret ID).</summary>
    public string? Note { get; }

    /// <summary>This row is the client secret: its value is withheld unless asked for.</summary>
    public bool IsSecret { get; }

    /// <summary>The vendor guide (address) the names come from.</summary>
    public string Guide { get; }

    /// <summary>This row with another value (the cmdlet puts the secret in when asked).</summary>
    public ProductSetting WithValue(object? value) => new(Product, Profile, Section, Name, value, Note, IsSecret, Guide);

    public override string ToString() => $"{Name} = {Value}";
}
