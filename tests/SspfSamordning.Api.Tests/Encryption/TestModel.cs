using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Tests.Encryption;

/// <summary>A small aggregate shaped like a case: a root (the key owner), a complex property in its row (as the case's youth) and child entities.</summary>
public sealed class Dossier
{
    private readonly List<Contact> contacts = [];

    private Dossier()
    {
    }

    public Dossier(string title, string? note, Person subject, params Contact[] contacts)
    {
        Id = Guid.CreateVersion7();
        Title = title;
        Note = note;
        Subject = subject;
        this.contacts.AddRange(contacts);
    }

    public Guid Id { get; private set; }

    /// <summary>Not encrypted.</summary>
    public string Title { get; private set; } = "";

    public string? Note { get; set; }
    public Person Subject { get; set; } = null!;
    public IReadOnlyCollection<Contact> Contacts => contacts;

    public void Add(Contact contact) => contacts.Add(contact);
}

public sealed class Person
{
    private Person()
    {
    }

    public Person(string personnummer, string name)
    {
        Personnummer = personnummer;
        Name = name;
    }

    public string Personnummer { get; private set; } = "";
    public string Name { get; set; } = "";
}

public sealed class Contact
{
    private Contact()
    {
    }

    public Contact(string name, string? phone)
    {
        Id = Guid.CreateVersion7();
        Name = name;
        Phone = phone;
    }

    public Guid Id { get; private set; }
    public string Name { get; set; } = "";
    public string? Phone { get; set; }
}

public sealed class EncryptionTestContext(DbContextOptions<EncryptionTestContext> options) : DbContext(options)
{
    public DbSet<Dossier> Dossiers => Set<Dossier>();
    public DbSet<Contact> Contacts => Set<Contact>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddDataKeys();
        modelBuilder.Entity<Dossier>(b =>
        {
            b.HasEncryptionKeyOwner(d => d.Id);
            b.Property(d => d.Id).ValueGeneratedNever();
            b.Property(d => d.Title).HasMaxLength(200);
            b.Property(d => d.Note).IsEncrypted();
            b.ComplexProperty(d => d.Subject, s =>
            {
                s.Property(p => p.Personnummer).HasMaxLength(12).IsEncrypted();
                s.Property(p => p.Name).IsEncrypted();
            });
            b.HasMany(d => d.Contacts).WithOne().HasForeignKey("DossierId");
        });
        modelBuilder.Entity<Contact>(b =>
        {
            b.HasEncryptionKeyOwner("DossierId");
            b.Property(c => c.Id).ValueGeneratedNever();
            b.Property(c => c.Name).IsEncrypted();
            b.Property(c => c.Phone).IsEncrypted();
        });
    }
}
