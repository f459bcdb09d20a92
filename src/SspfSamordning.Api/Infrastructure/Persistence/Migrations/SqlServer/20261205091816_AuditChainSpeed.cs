using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SspfSamordning.Api.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AuditChainSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditCheckpoints_Sequence",
                table: "AuditCheckpoints");

            migrationBuilder.DropIndex(
                name: "IX_AccessEvents_Sequence",
                table: "AccessEvents");

            migrationBuilder.AddColumn<short>(
                name: "Stripe",
                table: "AuditCheckpoints",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.AddColumn<short>(
                name: "Stripe",
                table: "AccessEvents",
                type: "smallint",
                nullable: false,
                defaultValue: (short)0);

            migrationBuilder.CreateIndex(
                name: "IX_AuditCheckpoints_Stripe_Sequence",
                table: "AuditCheckpoints",
                columns: new[] { "Stripe", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessEvents_Stripe_Sequence",
                table: "AccessEvents",
                columns: new[] { "Stripe", "Sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditCheckpoints_Stripe_Sequence",
                table: "AuditCheckpoints");

            migrationBuilder.DropIndex(
                name: "IX_AccessEvents_Stripe_Sequence",
                table: "AccessEvents");

            migrationBuilder.DropColumn(
                name: "Stripe",
                table: "AuditCheckpoints");

            migrationBuilder.DropColumn(
                name: "Stripe",
                table: "AccessEvents");

            migrationBuilder.CreateIndex(
                name: "IX_AuditCheckpoints_Sequence",
                table: "AuditCheckpoints",
                column: "Sequence");

            migrationBuilder.CreateIndex(
                name: "IX_AccessEvents_Sequence",
                table: "AccessEvents",
                column: "Sequence",
                unique: true);
        }
    }
}
