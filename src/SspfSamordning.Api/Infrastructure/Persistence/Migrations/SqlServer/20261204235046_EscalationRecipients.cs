using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SspfSamordning.Api.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EscalationRecipients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReminderDeliveries_DeadlineId_Step_Channel",
                table: "ReminderDeliveries");

            migrationBuilder.CreateIndex(
                name: "IX_ReminderDeliveries_DeadlineId_Step_Channel_UserId",
                table: "ReminderDeliveries",
                columns: new[] { "DeadlineId", "Step", "Channel", "UserId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReminderDeliveries_DeadlineId_Step_Channel_UserId",
                table: "ReminderDeliveries");

            migrationBuilder.CreateIndex(
                name: "IX_ReminderDeliveries_DeadlineId_Step_Channel",
                table: "ReminderDeliveries",
                columns: new[] { "DeadlineId", "Step", "Channel" },
                unique: true);
        }
    }
}
