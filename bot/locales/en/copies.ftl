# Cards with several copies, as they stand once something happened.
activity-card-signed = Signed up: { $signed } of { $slots }
checkin-card = 🌸 Service: { $name }
    { $what }
    Photo: { $photo }
checkin-card-stamped = ✅ Stamped by { $reviewer } ({ $points } points)
checkin-card-declined = ⛔ Declined by { $reviewer }: { $reason }
