using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Tests.Encryption;

public sealed class FieldEncryptionInterceptorTests : IAsyncLifetime
{
    private EncryptionTestDatabase database = null!;
    private ServiceProvider app = null!;

    public async ValueTask InitializeAsync()
    {
        database = await EncryptionTestDatabase.CreateAsync();
        app = database.Instance();
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();

    private static Dossier NewDossier() => new(
        "Dossier A", "Orolig för skolfrånvaro.", new Person("200803152385", "Alva Andersson"),
        new Contact("Karin Andersson", "070-1234567"), new Contact("Per Andersson", null));

    private async Task<Dossier> SaveAsync(Dossier dossier)
    {
        await using var scope = app.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EncryptionTestContext>();
        db.Add(dossier);
        await db.SaveChangesAsync();
        return dossier;
    }

    private async Task<T> WithContextAsync<T>(Func<EncryptionTestContext, Task<T>> action)
    {
        await using var scope = app.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<EncryptionTestContext>());
    }

    [Fact]
    public async Task SaveChanges_StoresOnlyCiphertextInEncryptedColumns()
    {
        var dossier = await SaveAsync(NewDossier());

        var row = await database.ReadRawAsync("Dossiers", dossier.Id);
        Assert.Equal("Dossier A", row["Title"]);
        foreach (var (column, plaintext) in new[] { ("Note", "Orolig"), ("Subject_Personnummer", "200803152385"), ("Subject_Name", "Alva") })
        {
            var stored = Assert.IsType<string>(row[column]);
            Assert.StartsWith("v1.", stored);
            Assert.DoesNotContain(plaintext, stored);
        }
        var contacts = (await database.ReadRawAsync("Contacts")).Where(r => Guid.Parse(r["DossierId"]!.ToString()!) == dossier.Id).ToList();
        Assert.Equal(2, contacts.Count);
        Assert.All(contacts, c => Assert.StartsWith("v1.", (string)c["Name"]!));
        Assert.Single(contacts, c => c["Phone"] is string phone && phone.StartsWith("v1.", StringComparison.Ordinal));
        Assert.Single(contacts, c => c["Phone"] is null);
    }

    [Fact]
    public async Task SaveChanges_LeavesPlaintextInEntitiesAndNoPendingChanges()
    {
        await using var scope = app.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EncryptionTestContext>();
        var dossier = NewDossier();
        db.Add(dossier);

        await db.SaveChangesAsync();

        Assert.Equal("Orolig för skolfrånvaro.", dossier.Note);
        Assert.Equal("200803152385", dossier.Subject.Personnummer);
        Assert.Equal("070-1234567", dossier.Contacts.First().Phone);
        Assert.False(db.ChangeTracker.HasChanges(), db.ChangeTracker.DebugView.LongView);
        Assert.All(db.ChangeTracker.Entries(), e => Assert.Equal(EntityState.Unchanged, e.State));
        Assert.Equal("Orolig för skolfrånvaro.", db.Entry(dossier).Property(d => d.Note).OriginalValue);
    }

    [Fact]
    public async Task SynchronousSaveChanges_EncryptsToo()
    {
        await using var scope = app.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EncryptionTestContext>();
        var dossier = NewDossier();
        db.Add(dossier);

        db.SaveChanges();

        Assert.StartsWith("v1.", (string)(await database.ReadRawAsync("Dossiers", dossier.Id))["Note"]!);
        Assert.Equal("Orolig för skolfrånvaro.", dossier.Note);
    }

    [Fact]
    public async Task Query_ReturnsPlaintextAndTracksNoChanges()
    {
        var saved = await SaveAsync(NewDossier());

        await using var scope = app.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EncryptionTestContext>();
        var loaded = await db.Dossiers.Include(d => d.Contacts).SingleAsync(d => d.Id == saved.Id);

        Assert.Equal("Orolig för skolfrånvaro.", loaded.Note);
        Assert.Equal("200803152385", loaded.Subject.Personnummer);
        Assert.Equal("Alva Andersson", loaded.Subject.Name);
        Assert.Equal(["Karin Andersson", "Per Andersson"], loaded.Contacts.Select(c => c.Name).Order());
        Assert.False(db.ChangeTracker.HasChanges());
    }

    [Fact]
    public async Task NoTrackingQuery_ReturnsPlaintext()
    {
        var saved = await SaveAsync(NewDossier());

        var loaded = await WithContextAsync(db => db.Dossiers.AsNoTracking().SingleAsync(d => d.Id == saved.Id));

        Assert.Equal("Alva Andersson", loaded.Subject.Name);
    }

    [Fact]
    public async Task Update_RewritesOnlyTheModifiedColumn()
    {
        var saved = await SaveAsync(NewDossier());
        var before = await database.ReadRawAsync("Dossiers", saved.Id);

        await WithContextAsync(async db =>
        {
            var dossier = await db.Dossiers.SingleAsync(d => d.Id == saved.Id);
            dossier.Note = "Ny anteckning.";
            Assert.False(db.Entry(dossier).ComplexProperty(d => d.Subject).IsModified);
            await db.SaveChangesAsync();
            Assert.Equal("Ny anteckning.", dossier.Note);
            Assert.False(db.ChangeTracker.HasChanges());
            return 0;
        });

        var after = await database.ReadRawAsync("Dossiers", saved.Id);
        Assert.NotEqual(before["Note"], after["Note"]);
        Assert.Equal(before["Subject_Name"], after["Subject_Name"]);
        var reloaded = await WithContextAsync(db => db.Dossiers.SingleAsync(d => d.Id == saved.Id));
        Assert.Equal("Ny anteckning.", reloaded.Note);
    }

    [Fact]
    public async Task ReplacingTheComplexValue_EncryptsItsNewValues()
    {
        var saved = await SaveAsync(NewDossier());

        await WithContextAsync(async db =>
        {
            var dossier = await db.Dossiers.SingleAsync(d => d.Id == saved.Id);
            dossier.Subject = new Person("200803152385", "Alva Berg");
            return await db.SaveChangesAsync();
        });

        Assert.DoesNotContain("Berg", (string)(await database.ReadRawAsync("Dossiers", saved.Id))["Subject_Name"]!);
        Assert.Equal("Alva Berg", (await WithContextAsync(db => db.Dossiers.SingleAsync(d => d.Id == saved.Id))).Subject.Name);
    }

    [Fact]
    public async Task NullValue_StaysNull()
    {
        var saved = await SaveAsync(new Dossier("Utan anteckning", null, new Person("200803152385", "Alva Andersson")));

        Assert.Null((await database.ReadRawAsync("Dossiers", saved.Id))["Note"]);
        Assert.Null((await WithContextAsync(db => db.Dossiers.SingleAsync(d => d.Id == saved.Id))).Note);
    }

    [Fact]
    public async Task CiphertextCopiedToAnotherRow_FailsToLoadAsTampering()
    {
        var a = await SaveAsync(NewDossier());
        var b = await SaveAsync(new Dossier("Dossier B", "Annan anteckning.", new Person("200001012380", "Bo Berg")));
        var stolen = (string)(await database.ReadRawAsync("Dossiers", a.Id))["Note"]!;
        await database.ExecuteAsync("UPDATE \"Dossiers\" SET \"Note\" = {0} WHERE \"Id\" = {1}", stolen, b.Id);

        var error = await Assert.ThrowsAsync<CiphertextTamperedException>(() => WithContextAsync(db => db.Dossiers.SingleAsync(d => d.Id == b.Id)));

        Assert.Equal(new FieldLocation("Dossiers", "Note", b.Id.ToString()), error.Location);
        Assert.Contains(b.Id.ToString(), error.Message);
        Assert.DoesNotContain("Orolig", error.Message);
        Assert.DoesNotContain("Annan", error.ToString());
    }

    [Fact]
    public async Task CiphertextCopiedToAnotherColumn_FailsToLoadAsTampering()
    {
        var a = await SaveAsync(NewDossier());
        var personnummer = (string)(await database.ReadRawAsync("Dossiers", a.Id))["Subject_Personnummer"]!;
        await database.ExecuteAsync("UPDATE \"Dossiers\" SET \"Subject_Name\" = {0} WHERE \"Id\" = {1}", personnummer, a.Id);

        var error = await Assert.ThrowsAsync<CiphertextTamperedException>(() => WithContextAsync(db => db.Dossiers.SingleAsync(d => d.Id == a.Id)));

        Assert.Equal("Subject_Name", error.Location.Column);
        Assert.DoesNotContain("200803152385", error.ToString());
    }

    /// <summary>An unprefixed value — chosen text written straight into the database — is refused, never served as plaintext.</summary>
    [Fact]
    public async Task UnprefixedValue_IsRefusedAsTampered_NotServedAsPlaintext()
    {
        var a = await SaveAsync(NewDossier());
        await database.ExecuteAsync("UPDATE \"Dossiers\" SET \"Note\" = {0} WHERE \"Id\" = {1}", "Ring 070-1234567 genast.", a.Id);

        var error = await Assert.ThrowsAsync<CiphertextTamperedException>(() => WithContextAsync(db => db.Dossiers.SingleAsync(d => d.Id == a.Id)));

        Assert.Equal("Note", error.Location.Column);
        Assert.DoesNotContain("070-1234567", error.ToString());
    }

    [Fact]
    public async Task FailedSave_RestoresPlaintextAndItsErrorContainsNoPlaintext()
    {
        var saved = await SaveAsync(NewDossier());
        await using var scope = app.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EncryptionTestContext>();
        var duplicate = new Contact("Hemlig Kontakt", "070-7654321");
        db.Entry(duplicate).Property(c => c.Id).CurrentValue = saved.Contacts.First().Id; // primary key violation
        db.Entry(duplicate).Property("DossierId").CurrentValue = saved.Id;
        db.Add(duplicate);

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Equal("Hemlig Kontakt", duplicate.Name);
        Assert.Equal(EntityState.Added, db.Entry(duplicate).State);
        Assert.DoesNotContain("Hemlig", error.ToString());
        Assert.DoesNotContain("7654321", error.ToString());
    }

    [Fact]
    public async Task ShreddedOwner_CannotBeReadFromABackupCopy()
    {
        var a = await SaveAsync(NewDossier());
        var backup = await database.ReadRawAsync("Dossiers", a.Id);

        await WithContextAsync(db => app.GetRequiredService<KeyRings>().For(db).ShredAsync(a.Id));
        // Restore the "backup" over the row (the row itself would be deleted by gallring).
        await database.ExecuteAsync("UPDATE \"Dossiers\" SET \"Note\" = {0} WHERE \"Id\" = {1}", (string)backup["Note"]!, a.Id);

        var error = await Assert.ThrowsAsync<DataKeyUnavailableException>(() => WithContextAsync(db => db.Dossiers.SingleAsync(d => d.Id == a.Id)));
        Assert.True(FieldCipher.TryReadKeyId((string)backup["Note"]!, out var keyId));
        Assert.Equal(keyId, error.KeyId);
        Assert.DoesNotContain(await database.ReadRawAsync("DataKeys"), k => Guid.Parse(k["OwnerId"]!.ToString()!) == a.Id);
        Assert.DoesNotContain("Orolig", error.ToString());
    }

    [Fact]
    public async Task EachOwnerGetsItsOwnKey()
    {
        var a = await SaveAsync(NewDossier());
        var b = await SaveAsync(NewDossier());

        Assert.True(FieldCipher.TryReadKeyId((string)(await database.ReadRawAsync("Dossiers", a.Id))["Note"]!, out var keyA));
        Assert.True(FieldCipher.TryReadKeyId((string)(await database.ReadRawAsync("Dossiers", b.Id))["Note"]!, out var keyB));
        Assert.NotEqual(keyA, keyB);
        var contactOfA = (await database.ReadRawAsync("Contacts")).First(r => Guid.Parse(r["DossierId"]!.ToString()!) == a.Id);
        Assert.True(FieldCipher.TryReadKeyId((string)contactOfA["Name"]!, out var contactKey));
        Assert.Equal(keyA, contactKey);
    }

    [Fact]
    public void Model_RequiresAKeyOwnerForEveryEncryptedEntityType()
    {
        var options = new DbContextOptionsBuilder<NoOwnerContext>().UseSqlite("Data Source=:memory:").Options;
        using var db = new NoOwnerContext(options);

        var error = Assert.Throws<InvalidOperationException>(() => EncryptedEntityType.Of(db.Model));

        Assert.Contains("HasEncryptionKeyOwner", error.Message);
    }

    private sealed class NoOwnerContext(DbContextOptions<NoOwnerContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.Entity<Contact>(b => b.Property(c => c.Name).IsEncrypted());
    }

    /// <summary>
    /// The materializer and the interceptor reach an encrypted value of a complex property through the entity's own object of
    /// it, so the model refuses one they could not reach: an optional complex property (null), a collection, or a struct (a copy).
    /// </summary>
    [Fact]
    public void Model_RefusesEncryptedValuesInAnOptionalComplexProperty() =>
        Assert.Contains("in the complex property 'Optional', which is optional, a collection or a struct",
            ModelErrorOf(h => h.ComplexProperty(x => x.Optional, c => c.Property(i => i.Text).IsEncrypted())));

    /// <summary>No <c>IsEncrypted</c> overload takes a complex collection's property: the mark is set as the overloads set it.</summary>
    [Fact]
    public void Model_RefusesEncryptedValuesInAComplexCollection() =>
        Assert.Contains("in the complex property 'Many', which is optional, a collection or a struct",
            ModelErrorOf(h => h.ComplexCollection(x => x.Many, c => c.ToJson().Property(i => i.Text).HasAnnotation(EncryptionModelExtensions.EncryptedAnnotation, true))));

    [Fact]
    public void Model_RefusesEncryptedValuesInAStructComplexProperty() =>
        Assert.Contains("in the complex property 'Value', which is optional, a collection or a struct",
            ModelErrorOf(h => h.ComplexProperty(x => x.Value, c => c.Property(i => i.Text).IsEncrypted())));

    /// <summary>An owned entity type has no key owner of its own (values in an entity's row are complex properties).</summary>
    [Fact]
    public void Model_RefusesEncryptedValuesInAnOwnedType() =>
        Assert.Contains("no key owner", ModelErrorOf(h => h.OwnsOne(x => x.Owned, o => o.Property(i => i.Text).IsEncrypted())));

    [Fact]
    public void Model_TakesEncryptedValuesInARequiredComplexProperty()
    {
        var model = HolderModel(h => h.ComplexProperty(x => x.Required, c => c.Property(i => i.Text).IsEncrypted()));

        var field = Assert.Single(EncryptedEntityType.Of(model).Values.Single(t => t.EntityType.ClrType == typeof(Holder)).Fields);

        Assert.Equal("Required_Text", field.Column);
    }

    private static string ModelErrorOf(Action<Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<Holder>> shape) =>
        Assert.Throws<InvalidOperationException>(() => EncryptedEntityType.Of(HolderModel(shape))).Message;

    /// <summary>A model of the holder alone (SQLite's conventions), its members ignored but the one <paramref name="shape"/> maps.</summary>
    private static Microsoft.EntityFrameworkCore.Metadata.IModel HolderModel(Action<Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<Holder>> shape)
    {
        var builder = new ModelBuilder(Microsoft.EntityFrameworkCore.Metadata.Conventions.SqliteConventionSetBuilder.Build());
        builder.Entity<Holder>(b =>
        {
            b.HasEncryptionKeyOwner(h => h.Id);
            foreach (var member in new[] { nameof(Holder.Required), nameof(Holder.Optional), nameof(Holder.Many), nameof(Holder.Value), nameof(Holder.Owned) })
                b.Ignore(member);
            shape(b);
        });
        return builder.FinalizeModel();
    }

    private sealed class Holder
    {
        public Guid Id { get; set; }
        public Inner Required { get; set; } = new();
        public Inner? Optional { get; set; }
        public List<Inner> Many { get; set; } = [];
        public InnerValue Value { get; set; }
        public Inner Owned { get; set; } = new();
    }

    private sealed class Inner
    {
        public string Text { get; set; } = "";
    }

    private struct InnerValue
    {
        public string Text { get; set; }
    }
}
