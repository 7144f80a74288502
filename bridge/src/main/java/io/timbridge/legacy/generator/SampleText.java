package io.timbridge.legacy.generator;

import io.timbridge.convert.TimRules;
import java.util.List;
import java.util.SplittableRandom;

/** Word pools and small builders for realistic Chinese IM data, with emoji and some other scripts. */
final class SampleText {

    static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            + "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵";
    static final String GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕鹏辉健俊帆浩宇欣怡涵"
            + "轩萱琪诺瑶晨曦然博文思睿泽嘉彤雪梅婷晓东";
    static final List<String> LATIN_NAMES = List.of("Kevin", "Lucy", "Amy", "Jason", "Coco", "Leo", "Mia", "Tony");
    static final List<String> OTHER_SCRIPT_NAMES = List.of("さくら", "ゆうき", "민준", "서연", "Nguyễn An");
    static final List<String> NICK_EMOJI = List.of("🌸", "🍀", "😎", "🐱", "🌙", "⭐", "🔥", "🐼");

    static final List<String> PHRASES = List.of(
            "在吗？", "好的，没问题👌", "今晚一起吃火锅吗🍲", "哈哈哈哈😂", "收到", "明天几点开会？", "我到楼下了",
            "这个周末去爬山吧⛰️", "生日快乐🎂🎉", "图片已发，请查收", "辛苦了🙏", "晚安🌙", "早上好☀️", "OK 👍",
            "路上堵车，晚到十分钟🚗", "文件我看过了，有几处需要修改", "Thanks! 谢谢🙏", "下周三的机票订好了✈️",
            "宝宝今天会走路了👶", "这家店的咖啡不错☕", "我在地铁上，信号不好", "周报已提交", "来了来了🏃",
            "好久不见！最近怎么样？", "记得带伞☔", "会议改到下午三点", "已转账，请确认💰", "😂😂😂", "👍",
            "加油💪", "抱歉，刚才在开会", "明白", "稍等一下", "你说得对", "我觉得还可以再改改", "今天天气真好🌤",
            "猫咪又把杯子打翻了🐱", "ありがとう", "감사합니다", "一家人 👨‍👩‍👧‍👦 周末见", "写代码中 🧑🏽‍💻",
            "𠮷野家的牛肉饭不错", "[微笑][微笑]", "ok 我先下线了");

    static final List<String> SIGNATURES = List.of(
            "生活不止眼前的苟且🌈", "努力成为更好的自己", "保持热爱，奔赴山海⛰️", "今天也要开心呀😊", "佛系青年",
            "在路上🚶", "Stay hungry, stay foolish.", "人间值得", "慢慢来，比较快", "做一个温暖的人☀️");
    static final List<String> LOCATIONS = List.of(
            "广东 深圳", "北京 海淀", "上海 浦东", "浙江 杭州", "四川 成都", "湖北 武汉", "江苏 南京", "陕西 西安",
            "重庆 渝中", "福建 厦门", "香港", "台湾 台北", "Singapore", "東京");
    static final List<String> HOBBIES = List.of("摄影", "徒步", "读书", "羽毛球", "烘焙", "钓鱼", "吉他", "滑雪");
    static final List<String> COMPANIES = List.of("腾讯", "字节跳动", "阿里巴巴", "美团", "华为", "自由职业");

    static final List<String> REMARKS = List.of("老王", "张经理", "小李同学", "妈妈❤️", "房东", "快递小哥",
            "大学室友", "Boss", "表姐", "健身教练💪");
    static final List<String> FRIEND_GROUPS = List.of("家人", "同事", "同学", "朋友", "客户");
    static final List<String> ADD_SOURCES = List.of("search", "qrcode", "group", "phone", "card");

    static final List<String> GROUP_PLACES = List.of("深圳", "北京", "上海", "杭州", "成都", "广州", "武汉", "南京",
            "西安", "厦门");
    static final List<String> GROUP_TOPICS = List.of("徒步", "跑步", "摄影", "读书", "羽毛球", "篮球", "吃货", "宝妈",
            "自驾游", "钓鱼", "咖啡", "桌游", "骑行", "瑜伽", "编程", "考研");
    static final List<String> GROUP_SUFFIXES = List.of("群", "交流群", "爱好者", "俱乐部", "小分队");
    static final List<String> WORK_TEAMS = List.of("产品部", "研发中心", "市场部", "销售二组", "项目A", "运营",
            "财务", "客服");
    static final List<String> WORK_SUFFIXES = List.of("工作群", "沟通群", "周会", "项目组");
    static final List<String> GROUP_EMOJI = List.of("🏃", "📷", "📚", "🍜", "☕", "🚴", "🎉");
    static final List<String> INTRODUCTIONS = List.of(
            "欢迎新朋友！进群请改备注：城市-昵称🙋", "每周六早上八点集合，风雨无阻", "只聊技术，不发广告🚫",
            "相亲相爱一家人❤️", "有问题随时在群里说", "本群用于日常工作沟通，请勿闲聊");
    static final List<String> NOTIFICATIONS = List.of(
            "本周六活动取消，请大家相互转告📢", "请在周五前提交周报", "群文件已更新，请下载最新版本",
            "新年快乐🧧 红包已发", "禁止发布广告，违者移出群聊");

    /** Places for location messages: description, latitude, longitude. */
    record Place(String desc, double lat, double lng) {
    }

    static final List<Place> PLACES = List.of(
            new Place("深圳市民中心", 22.543096, 114.057865), new Place("北京天安门广场", 39.903740, 116.397827),
            new Place("上海外滩", 31.240018, 121.490317), new Place("杭州西湖断桥", 30.259244, 120.150052),
            new Place("成都春熙路", 30.657405, 104.080994), new Place("广州塔", 23.106472, 113.324519),
            new Place("西安钟楼", 34.259441, 108.947021), new Place("武汉黄鹤楼", 30.544627, 114.302327),
            new Place("東京タワー", 35.658581, 139.745433));

    /** Stickers for emoji messages: text code and index in the app's sticker table. */
    record Sticker(String code, int index) {
    }

    static final List<Sticker> STICKERS = List.of(
            new Sticker("[微笑]", 0), new Sticker("[撇嘴]", 1), new Sticker("[色]", 2), new Sticker("[发呆]", 3),
            new Sticker("[得意]", 4), new Sticker("[流泪]", 5), new Sticker("[害羞]", 6), new Sticker("[大哭]", 9),
            new Sticker("[偷笑]", 20), new Sticker("[再见]", 39), new Sticker("[玫瑰]", 63), new Sticker("[爱心]", 66),
            new Sticker("[强]", 76), new Sticker("[OK]", 89));

    static final List<String> FILE_NAMES = List.of("项目计划书.docx", "2023年度总结.pptx", "报价单-v3.xlsx",
            "合同扫描件.pdf", "会议纪要.txt", "设计稿_final_最终版.psd", "photos 📷.zip", "简历-张三.pdf");

    private SampleText() {
    }

    static <T> T pick(SplittableRandom r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    static char pick(SplittableRandom r, String chars) {
        return chars.charAt(r.nextInt(chars.length()));
    }

    static String nickname(SplittableRandom r) {
        int style = r.nextInt(100);
        String name;
        if (style < 60) {
            name = "" + pick(r, SURNAMES) + pick(r, GIVEN) + (r.nextBoolean() ? "" + pick(r, GIVEN) : "");
        } else if (style < 75) {
            name = (r.nextBoolean() ? "小" : "阿") + pick(r, GIVEN);
        } else if (style < 88) {
            name = pick(r, LATIN_NAMES) + pick(r, SURNAMES);
        } else {
            name = pick(r, OTHER_SCRIPT_NAMES);
        }
        return r.nextInt(5) == 0 ? name + pick(r, NICK_EMOJI) : name;
    }

    /** One to three chat phrases. */
    static String chatText(SplittableRandom r) {
        StringBuilder text = new StringBuilder(pick(r, PHRASES));
        for (int n = r.nextInt(3); n > 0; n--) {
            text.append(r.nextBoolean() ? " " : "，").append(pick(r, PHRASES));
        }
        return text.toString();
    }

    /** Chat text of more than {@code minBytes} UTF-8 bytes: a message TIM refuses as too long. */
    static String longText(SplittableRandom r, int minBytes) {
        StringBuilder text = new StringBuilder("【长消息】");
        int bytes = TimRules.utf8Length(text.toString());
        while (bytes <= minBytes) {
            String phrase = pick(r, PHRASES);
            text.append(phrase).append('\n');
            bytes += TimRules.utf8Length(phrase) + 1;
        }
        return text.toString();
    }

    /** A group name; the pools keep it within TIM's 30 bytes (at most 28). */
    static String groupName(SplittableRandom r, boolean work) {
        String emoji = r.nextInt(4) == 0 ? pick(r, GROUP_EMOJI) : "";
        return work
                ? emoji + pick(r, WORK_TEAMS) + pick(r, WORK_SUFFIXES)
                : emoji + pick(r, GROUP_PLACES) + pick(r, GROUP_TOPICS) + pick(r, GROUP_SUFFIXES);
    }
}
