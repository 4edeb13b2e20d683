# Cards with several copies, as they stand once something happened.
activity-card-signed = 已报名：{ $signed } / { $slots } 人
checkin-card = 🌸 服务打卡：{ $name }
    { $what }
    照片：{ $photo }
checkin-card-stamped = ✅ { $reviewer } 已签章（{ $points } 分）
checkin-card-declined = ⛔ { $reviewer } 未通过：{ $reason }
